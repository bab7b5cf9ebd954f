import { run, type RunResult } from '../support/python-tools.js';

/** Debian's twine, never asking anything and never touching a keyring. */
export function twine(args: string[]): Promise<RunResult> {
  return run('/usr/bin/twine', ['upload', '--non-interactive', '--disable-progress-bar', ...args], {
    PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
  });
}

/** twine upload to the documented URL with a username and token. */
export function twineUpload(baseUrl: string, username: string, token: string, files: string[], extra: string[] = []): Promise<RunResult> {
  return twine(['--repository-url', `${baseUrl}/artifactory/api/pypi/pypi/`, '-u', username, '-p', token, ...extra, ...files]);
}

