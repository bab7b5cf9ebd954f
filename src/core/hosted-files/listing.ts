/** One line of a directory listing (Maven directories, generic names and versions). */
export interface ListingEntry {
  name: string;
  directory: boolean;
  size?: number;
  at?: Date;
}
