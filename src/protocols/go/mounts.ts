/** The documented mount and its short alias. */
export const GO_MOUNTS = { artifactory: '/artifactory/api/go/go', short: '/go' } as const;
