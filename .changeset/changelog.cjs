// CHANGELOG entries as users read them on the registry: the changeset's text as written, without commit hashes
// (they point into a repository users may not see) and with one "Dependencies" line per release.
'use strict';

async function getReleaseLine(changeset) {
  const [first, ...rest] = changeset.summary.split('\n').map((l) => l.trimEnd());
  return [`- ${first}`, ...rest.map((l) => (l ? `  ${l}` : ''))].join('\n');
}

async function getDependencyReleaseLine(_changesets, dependenciesUpdated) {
  if (dependenciesUpdated.length === 0) return '';
  return ['- Updated dependencies:', ...dependenciesUpdated.map((d) => `  - ${d.name}@${d.newVersion}`)].join('\n');
}

module.exports = { default: { getReleaseLine, getDependencyReleaseLine }, getReleaseLine, getDependencyReleaseLine };
