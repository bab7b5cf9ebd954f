import type { FileView, ProjectView, ReleaseView } from './project-view.js';
import { latestRelease } from './project-view.js';
import type { ReleaseInfo } from './records.js';

/**
 * The JSON project API in the shape of PyPI's `/pypi/<name>/json` and `/pypi/<name>/<version>/json`
 * (info, releases, urls) for tools that read it. File URLs are absolute: `filesBase` is where this mount
 * serves files, e.g. `https://registry.example/pypi/packages`.
 */
function fileEntry(file: FileView, filesBase: string, projectName: string) {
  const time = file.uploadedAt.toISOString();
  return {
    filename: file.filename,
    url: `${filesBase}/${encodeURIComponent(projectName)}/${encodeURIComponent(file.filename)}`,
    digests: { sha256: file.meta.sha256, md5: file.meta.md5 },
    md5_digest: file.meta.md5,
    size: file.size,
    packagetype: file.meta.packagetype,
    python_version: file.meta.pythonVersion,
    requires_python: file.meta.requiresPython,
    upload_time: time.slice(0, 19),
    upload_time_iso_8601: time,
    yanked: file.yanked !== false,
    yanked_reason: file.yanked === false || file.yanked === '' ? null : file.yanked,
    has_sig: false,
    comment_text: '',
  };
}

function infoEntry(view: ProjectView, release: ReleaseView, info: ReleaseInfo) {
  return {
    name: view.displayName,
    version: release.version,
    summary: info.summary,
    description: info.description,
    description_content_type: info.descriptionContentType,
    keywords: info.keywords,
    home_page: info.homePage,
    download_url: info.downloadUrl,
    author: info.author,
    author_email: info.authorEmail,
    maintainer: info.maintainer,
    maintainer_email: info.maintainerEmail,
    license: info.license,
    classifiers: info.classifiers,
    platform: info.platforms.join(', ') || null,
    requires_dist: info.requiresDist.length > 0 ? info.requiresDist : null,
    requires_python: info.requiresPython,
    provides_extra: info.providesExtra.length > 0 ? info.providesExtra : null,
    project_urls: Object.keys(info.projectUrls).length > 0 ? info.projectUrls : null,
    yanked: release.yanked !== false,
    yanked_reason: release.yanked === false || release.yanked === '' ? null : release.yanked,
  };
}

/** `/pypi/<name>/json`: every release's files, and `info`/`urls` for the latest release. */
export function projectApiJson(view: ProjectView, filesBase: string): string {
  const latest = latestRelease(view);
  const releases: Record<string, ReturnType<typeof fileEntry>[]> = {};
  for (const r of view.releases) releases[r.version] = r.files.map((f) => fileEntry(f, filesBase, view.name));
  return JSON.stringify({
    info: latest ? infoEntry(view, latest, latest.info) : null,
    releases,
    urls: latest ? latest.files.map((f) => fileEntry(f, filesBase, view.name)) : [],
    vulnerabilities: [],
  });
}

/** `/pypi/<name>/<version>/json`: one release. */
export function releaseApiJson(view: ProjectView, release: ReleaseView, filesBase: string): string {
  return JSON.stringify({
    info: infoEntry(view, release, release.info),
    urls: release.files.map((f) => fileEntry(f, filesBase, view.name)),
    vulnerabilities: [],
  });
}
