/** The documented mount and its short alias. */
export const HELM_MOUNTS = { artifactory: '/artifactory/api/helm/helm', short: '/helm' } as const;
