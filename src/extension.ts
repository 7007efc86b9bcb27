import vscode = require('vscode');
import { FeatureLoader } from './featureLoader';
import type { Shell } from './shell/shell';

/** What activate() returns: a small surface for OpsDeck's own extension-host tests. */
export interface OpsDeckApi {
  readonly registeredCommands: () => string[];
  readonly isCoreLoaded: () => boolean;
  /** The shell (reading it before the features have loaded loads them). */
  readonly shell: Shell;
  /** Settles when the shell has started and the five features have registered their views and commands (just after activation). */
  readonly featuresReady: Promise<void>;
}

/**
 * Activation registers every contributed command and nothing else, so any of them can be what activates
 * OpsDeck: each routes to its handler in dist/features.js. That bundle loads on the next turn of the event loop
 * (or at once, if a command runs first) and starts the rest: the log channel, the AWS session, the status bar,
 * the context keys for the welcome views, and the five features' views and commands. Neither step does
 * network I/O or loads an AWS SDK module: the SDK arrives with dist/core.js the first time AWS is needed.
 */
export function activate(context: vscode.ExtensionContext): OpsDeckApi {
  const contributed = ((context.extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? []).map((c) => c.command);
  const routed = new Set(contributed);
  const features = new FeatureLoader((f) => f.start(context, routed));
  for (const id of contributed) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => run(features, id, args)));
  }
  const featuresReady = new Promise<void>((resolve) => setImmediate(() => {
    try {
      features.get();
    } catch (err) {
      void vscode.window.showErrorMessage(`AWS OpsDeck failed to start: ${err instanceof Error ? err.message : String(err)}`);
    }
    resolve();
  }));
  return {
    registeredCommands: () => features.loaded?.commands.registeredIds() ?? [],
    isCoreLoaded: () => features.loaded?.isCoreLoaded() ?? false,
    get shell() {
      return features.get().shell;
    },
    featuresReady,
  };
}

function run(features: FeatureLoader, id: string, args: unknown[]): Promise<unknown> {
  let started;
  try {
    started = features.get();
  } catch (err) {
    return Promise.reject(new Error(`AWS OpsDeck failed to start, so ${id} cannot run: ${err instanceof Error ? err.message : String(err)}`));
  }
  return started.commands.execute(id, args);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
