// Validates Kubernetes manifests against the API's JSON schemas (the kubernetes-models package).
// Usage: node validate.mjs FILE.yaml; prints one line per document and exits 1 if any is invalid.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import * as models from 'kubernetes-models';

const groups = { 'apps/v1': models.apps.v1, v1: models.v1 };
let failed = false;
for (const document of parseAllDocuments(readFileSync(process.argv[2], 'utf8'))) {
    const object = document.toJS();
    const Model = groups[object.apiVersion]?.[object.kind];
    if (!Model) {
        console.log(`${object.apiVersion} ${object.kind}: no schema known to this validator`);
        failed = true;
        continue;
    }
    try {
        new Model(object).validate();
        console.log(`${object.kind} ${object.metadata?.name}: valid`);
    } catch (error) {
        console.log(`${object.kind} ${object.metadata?.name}: ${error.message}`);
        failed = true;
    }
}
process.exit(failed ? 1 : 0);
