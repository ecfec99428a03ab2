import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpu: string;
  memoryGb: number;
  node: string;
  /** 1-minute load average when the bench started and ended: figures from a busy machine read low. */
  loadAtStart: number;
  loadAtEnd?: number;
}

export function describeMachine(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAtStart: round(loadavg()[0], 2),
  };
}

export function currentLoad(): number {
  return round(loadavg()[0], 2);
}

function round(v: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}
