import type { UserWorkspaceConfig } from 'vitest/config';
export declare function project(name: string, extra?: Record<string, unknown>): UserWorkspaceConfig;
