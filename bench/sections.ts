import { authSection } from './auth.js';
import { environmentsSection } from './environments.js';
import { mavenSection } from './maven.js';
import { goHelmCargoSection } from './go-helm-cargo.js';
import { npmSection } from './npm.js';
import { ociSection } from './oci.js';
import { pypiSection } from './pypi.js';
import { scaleSection } from './scale.js';
import { throughputSection } from './throughput.js';
import type { BenchSection } from './section.js';

/** Every benchmark section, in the order `npm run bench` runs them. Append yours to this list. */
export const SECTIONS: BenchSection[] = [authSection, ociSection, pypiSection, environmentsSection, npmSection, scaleSection, mavenSection, goHelmCargoSection, throughputSection];
