// Typed access to scripts/vscode-env.mjs (plain JS, shared with `npm run demo`).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface CodeServerEnv {
  nodeBin: string;
  nodeDir: string;
  entry: string;
  cache: string;
}

export interface ProfileOptions {
  userSettings?: Record<string, unknown>;
  workspaceSettings?: Record<string, unknown>;
  /** Folder copied as the workspace (default test/fixtures/demo-workspace). */
  workspaceDir?: string;
}

export interface Profile {
  dir: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  config: string;
  userSettingsFile: string;
  workspaceSettingsFile: string;
  cleanup(): void;
}

export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  folderUrl: string;
  logFile: string;
  log(): string;
  stop(): Promise<void>;
}

export interface SourceConfig {
  name: string;
  url: string;
  kind: 'ws' | 'sse' | 'http-json' | 'prometheus';
  format?: string;
  pollIntervalMs?: number;
  subscribe?: boolean;
  headers?: Record<string, string>;
}

interface VscodeEnvModule {
  root: string;
  ensureCodeServer(): Promise<CodeServerEnv>;
  packageVsix(out?: string): Promise<string>;
  createProfile(opts?: ProfileOptions): Profile;
  installVsix(env: CodeServerEnv, profile: Profile, vsixPath: string): Promise<string>;
  startCodeServer(env: CodeServerEnv, profile: Profile, opts?: { port?: number; trust?: boolean; timeoutMs?: number }): Promise<CodeServer>;
  freePort(): Promise<number>;
  stopProcessGroup(pid: number, graceMs?: number): Promise<void>;
  pulseSources(port: number, opts?: { all?: boolean }): SourceConfig[];
}

export const repoRoot = join(__dirname, '..', '..', '..');

let loaded: Promise<VscodeEnvModule> | undefined;
/** The .mjs has no type declarations; a computed specifier keeps tsc from demanding one. */
export function vscodeEnv(): Promise<VscodeEnvModule> {
  const spec = pathToFileURL(join(repoRoot, 'scripts', 'vscode-env.mjs')).href;
  loaded ??= import(spec) as Promise<VscodeEnvModule>;
  return loaded;
}
