// Decodes one response document with a model of an openapi-generator typescript-fetch client
// (compiled to CommonJS). Usage: node decode_typescript.js <compiled dir> <model> <response.json>
// Prints {"decoded": true, "value": ...} or {"decoded": false, "error": "..."}.
const fs = require("fs");
const path = require("path");
const [dir, model, document] = process.argv.slice(2);
const models = require(path.resolve(dir, "models/index.js"));
try {
  const value = models[`${model}FromJSON`](JSON.parse(fs.readFileSync(document, "utf8")));
  console.log(JSON.stringify({ decoded: true, value: models[`${model}ToJSON`](value) }));
} catch (error) {
  console.log(JSON.stringify({ decoded: false, error: String(error) }));
}
