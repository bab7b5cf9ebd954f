/** The documented mount and its short alias; the index is at `<mount>/index/`. */
export const CARGO_MOUNTS = { artifactory: '/artifactory/api/cargo/cargo', short: '/cargo' } as const;
