// Typed access to the webview API VS Code injects. acquireVsCodeApi may be called only once.
import type { WebviewMessage } from '../../src/shared/requests';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): RawVsCodeApi;

export interface VsCodeApi {
  post(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

let api: VsCodeApi | undefined;

export function vscodeApi(): VsCodeApi {
  if (api) return api;
  const raw = acquireVsCodeApi();
  api = {
    post: (message) => raw.postMessage(message),
    getState: () => raw.getState(),
    setState: (state) => raw.setState(state),
  };
  return api;
}
