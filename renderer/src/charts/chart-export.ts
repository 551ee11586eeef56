// Exporting what the Monitor shows: JSON of the raw (not downsampled) series, and a PNG of the charts as drawn.
// The PNG is made by serialising each chart's SVG onto one canvas — no html2canvas-style dependency, and recharts
// draws plain SVG. CSS variables are resolved first, since an SVG rendered as an image cannot see the page's CSS.

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportJson(data: unknown, fileName: string): void {
  downloadBlob(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }), fileName);
}

/** Replaces var(--x) in an SVG's markup with the current theme's values. */
function resolveCssVariables(markup: string): string {
  const style = getComputedStyle(document.documentElement);
  return markup.replace(
    /var\((--[a-z0-9-]+)\)/gi,
    (_, name: string) => style.getPropertyValue(name).trim() || '#888',
  );
}

async function svgToImage(svg: SVGSVGElement): Promise<HTMLImageElement> {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const markup = resolveCssVariables(new XMLSerializer().serializeToString(clone));
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  await image.decode();
  return image;
}

/** Stacks every chart SVG under `container` into one PNG with titles. */
export async function renderChartsPng(container: HTMLElement): Promise<Blob> {
  const figures = [...container.querySelectorAll<HTMLElement>('figure.chart-card')];
  const items: { title: string; image: HTMLImageElement; width: number; height: number }[] = [];
  for (const figure of figures) {
    const svg = figure.querySelector<SVGSVGElement>('svg.recharts-surface');
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    items.push({
      title: figure.querySelector('h3')?.textContent ?? '',
      image: await svgToImage(svg),
      width: box.width,
      height: box.height,
    });
  }
  if (items.length === 0) throw new Error('There is no chart to export yet.');
  const titleHeight = 22;
  const width = Math.ceil(Math.max(...items.map((item) => item.width)));
  const height = Math.ceil(items.reduce((sum, item) => sum + item.height + titleHeight, 0));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw a canvas to export.');
  const style = getComputedStyle(document.documentElement);
  context.fillStyle = style.getPropertyValue('--panel').trim() || '#fff';
  context.fillRect(0, 0, width, height);
  let y = 0;
  for (const item of items) {
    context.fillStyle = style.getPropertyValue('--text').trim() || '#000';
    context.font = 'bold 13px system-ui, sans-serif';
    context.fillText(item.title, 8, y + 16);
    y += titleHeight;
    context.drawImage(item.image, 0, y, item.width, item.height);
    y += item.height;
  }
  return await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}
