/** The package-model repository PyPI projects live in. */
export const PYPI_REPOSITORY = 'pypi';
