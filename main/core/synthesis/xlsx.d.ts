import type { SynthesisView } from '../../../shared/domain/synthesis';
export declare function synthesisXlsx(view: SynthesisView, createdAt: Date): Promise<Buffer>;
/** Builds the XLSX and writes it atomically (temp file, fsync, rename). */
export declare function exportSynthesisXlsx(view: SynthesisView, path: string, createdAt: Date): Promise<{
    path: string;
    size: number;
}>;
