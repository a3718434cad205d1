import { extractFindings } from '/work/main/server/src/analysis/lesions';
const S=128; const m=new Float32Array(S*S);
const paint=(cx:number,cy:number,r:number,pk:number)=>{for(let y=0;y<S;y++)for(let x=0;x<S;x++){const q=Math.hypot(x+0.5-cx,y+0.5-cy)/r; if(q<=1)m[y*S+x]=Math.max(m[y*S+x]!,pk*(1-0.5*q));}};
paint(40.5,30.5,5,0.8); paint(60.5,80.5,10,0.6);
const info:any={pixelSpacingMm:[0.5,0.5],spacingSource:'PixelSpacing'};
const f=extractFindings({nodule:m,opacity:new Float32Array(S*S),size:S},{width:512,height:512,info},0.3,()=>({text:{zh:'',en:''}} as any));
for(const x of f) console.log(x.type,x.score,x.center,x.bbox,x.diameterMm,x.contour.length);
