/** Lets the person at the station pick the workstation's .p12 file; undefined when cancelled. */
export interface FileChooser {
  choosePkcs12(): Promise<string | undefined>;
}
