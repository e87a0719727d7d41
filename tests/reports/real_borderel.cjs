// The borderel as the real Loket's packaging service produces it: the XML builder it uses (xmlbuilder 10, npm),
// configured and fed the way lblod/package-bbcdr-rapporten-service describes the routing slip (root in the
// Borderel namespace with its schema location, files first, then the routing metadata with two parameters).
// Usage: node real_borderel.cjs '{"kbo": "0207451227", "names": ["a.xml", "b.xbrl"]}'  → the document on stdout.
const path = require("path");
const builder = require(path.join(process.env.LOKET_NODE_MODULES, "xmlbuilder"));
const input = JSON.parse(process.argv[2]);
const namespace = "http://MFT-01-00.abb.vlaanderen.be/Borderel";
const root = builder
  .create("ns1:Borderel", {}, {}, { separateArrayItems: true })
  .att("xsi:schemaLocation", `${namespace} Borderel.xsd`)
  .att("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
  .att("xmlns:ns1", namespace);
const parameter = (name, value) => ({ ParameterParameterWaarde: { Parameter: name, ParameterWaarde: value } });
root.ele({
  "ns1:Bestanden": input.names.map((name) => ({ Bestand: { Bestandsnaam: name } })),
  "ns1:RouteringsMetadata": {
    Entiteit: "ABB",
    Toepassing: "BBC DR",
    ParameterSet: [parameter("SLEUTEL", input.kbo), parameter("FLOW", "AANLEVERING GEDAAN")],
  },
});
process.stdout.write(root.end({ pretty: true }));
