import { Component, createRef } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { ChatPanel } from './ChatPanel';

/**
 * The component OHIF renders with its own React. It is a class made with OUR React: the host renders
 * the plain <div>, and we mount our own root into it, so hooks never cross React copies
 * (ohif-integration.md §2, "Island").
 */
export class PanelIsland extends Component {
  private readonly host = createRef<HTMLDivElement>();
  private root: Root | null = null;

  override componentDidMount(): void {
    if (!this.host.current) return;
    this.root = createRoot(this.host.current);
    this.root.render(<ChatPanel />);
  }

  override componentWillUnmount(): void {
    const root = this.root;
    this.root = null;
    // Unmounting synchronously inside the host's commit phase triggers a React warning.
    window.setTimeout(() => root?.unmount(), 0);
  }

  override render() {
    return <div ref={this.host} style={{ height: '100%', width: '100%' }} />;
  }
}
