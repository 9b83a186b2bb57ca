/** Playback through WebAudio (one shared AudioContext, created on the first click as browsers require). */

let context: AudioContext | null = null;
let playing: AudioBufferSourceNode | null = null;
let startedAt = 0;
let duration = 0;

/** Seconds into the sound now playing, or null when nothing plays (for the playback cursor). */
export function playbackPosition(): number | null {
  if (!context || !playing) return null;
  const t = context.currentTime - startedAt;
  return t >= 0 && t <= duration ? t : null;
}

/**
 * Plays `x` at `sampleRate`, scaled so that its peak is 0.9 (the inverse transform can exceed ±1); the returned
 * note says so. A new call stops the previous sound.
 */
export async function playSignal(x: Float64Array, sampleRate: number): Promise<string> {
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) throw new Error('this browser has no Web Audio API');
  context ??= new Ctor();
  if (context.state === 'suspended') await context.resume();
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]!));
  const gain = peak > 0 ? 0.9 / peak : 1;
  const buffer = context.createBuffer(1, x.length, sampleRate);
  const ch = buffer.getChannelData(0);
  for (let i = 0; i < x.length; i++) ch[i] = x[i]! * gain;
  playing?.stop();
  const source = context.createBufferSource();
  source.buffer = buffer;
  source.connect(context.destination);
  source.start();
  playing = source;
  startedAt = context.currentTime;
  duration = x.length / sampleRate;
  source.onended = () => {
    if (playing === source) playing = null;
  };
  return ` (${(x.length / sampleRate).toFixed(2)} s, peak-normalized ×${gain.toFixed(2)})`;
}
