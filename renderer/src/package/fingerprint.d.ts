/** Groups of 4 hex chars, uppercase, for reading over the phone: "1A2B 3C4D …" (as the CLI prints it). */
export declare function formatFingerprint(hex: string): string;
