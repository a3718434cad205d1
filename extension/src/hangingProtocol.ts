/**
 * One chest radiograph, one viewport, fitted (the stack viewport's default). Radiograph display sets
 * (CR, DX, RG) are preferred over anything else in the study, and a display set named in the URL
 * wins over both.
 */
const cxrSingle = {
  id: 'cxr-single',
  name: 'Chest radiograph (single image)',
  locked: true,
  protocolMatchingRules: [],
  toolGroupIds: ['default'],
  numberOfPriorsReferenced: 0,
  displaySetSelectors: {
    cxrImage: {
      seriesMatchingRules: [
        { weight: 10, attribute: 'numImageFrames', constraint: { greaterThan: { value: 0 } }, required: true },
        { weight: 5, attribute: 'Modality', constraint: { equals: { value: 'CR' } } },
        { weight: 5, attribute: 'Modality', constraint: { equals: { value: 'DX' } } },
        { weight: 5, attribute: 'Modality', constraint: { equals: { value: 'RG' } } },
        { weight: 20, attribute: 'isDisplaySetFromUrl', constraint: { equals: true } },
      ],
    },
  },
  defaultViewport: {
    viewportOptions: { viewportType: 'stack', toolGroupId: 'default', allowUnmatchedView: true },
    displaySets: [{ id: 'cxrImage', matchedDisplaySetsIndex: -1 }],
  },
  stages: [
    {
      name: 'single',
      viewportStructure: { layoutType: 'grid', properties: { rows: 1, columns: 1 } },
      viewports: [
        {
          viewportOptions: {
            viewportType: 'stack',
            viewportId: 'cxr',
            toolGroupId: 'default',
            allowUnmatchedView: true,
            initialImageOptions: { custom: 'sopInstanceLocation' },
          },
          displaySets: [{ id: 'cxrImage' }],
        },
      ],
    },
  ],
};

export function getHangingProtocolModule() {
  return [{ name: cxrSingle.id, protocol: cxrSingle }];
}
