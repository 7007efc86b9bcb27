import type { Started } from './features';

declare const __OPSDECK_BUNDLED__: boolean | undefined;

type Features = typeof import('./features');

/**
 * Loads dist/features.js (the shell and the five features' VS Code layers) once, when `get()` is first called:
 * on the next turn of the event loop after activation, or earlier if a command runs before that. A load that
 * throws is remembered and thrown again, so every command reports it.
 */
export class FeatureLoader {
  private started: Started | undefined;
  private failure: { error: unknown } | undefined;

  constructor(private readonly start: (features: Features) => Started) {}

  get loaded(): Started | undefined {
    return this.started;
  }

  get(): Started {
    if (this.started) return this.started;
    if (this.failure) throw this.failure.error;
    try {
      const bundled = typeof __OPSDECK_BUNDLED__ !== 'undefined' && __OPSDECK_BUNDLED__;
      // A path in a variable keeps esbuild from inlining the features into the entry bundle (and needs no `path`).
      const target = bundled ? `${__dirname}/features.js` : './features';
      this.started = this.start(require(target) as Features);
      return this.started;
    } catch (error) {
      this.failure = { error };
      throw error;
    }
  }
}
