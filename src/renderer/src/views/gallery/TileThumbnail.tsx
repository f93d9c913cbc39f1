import { type ReactElement, useEffect, useRef } from 'react';
import { galleryThumbnails } from './gallery-thumbnails';

/**
 * A tile's thumbnail, drawn into a canvas from the thumbnail store (decision 0060): decoded off
 * the main thread (createImageBitmap), handed to the canvas without a copy, and released the
 * moment the tile unmounts, so no decoded image outlives its tile. `data-state="shown"` once
 * it is on screen (the benchmark and tests wait for it).
 */
export function TileThumbnail({ path, urgent }: { path: string; urgent: boolean }): ReactElement {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || canvas.dataset.state === 'shown') return;
    let gone = false;
    const broken = () => canvas.classList.add('is-broken');
    const withdraw = galleryThumbnails.want(path, urgent, (blob) => {
      if (!blob) return broken();
      createImageBitmap(blob).then((bitmap) => {
        if (gone) return bitmap.close();
        canvas.width = bitmap.width;
        canvas.height = bitmap.height;
        canvas.getContext('bitmaprenderer')?.transferFromImageBitmap(bitmap);
        canvas.dataset.state = 'shown';
      }, broken);
    });
    return () => {
      gone = true;
      withdraw();
    };
  }, [path, urgent]);
  // Let go of the pixels when the tile leaves, not when the garbage collector gets to the canvas.
  useEffect(() => {
    const canvas = ref.current;
    return () => canvas?.getContext('bitmaprenderer')?.transferFromImageBitmap(null);
  }, []);
  return <canvas ref={ref} className="tile-image" />;
}
