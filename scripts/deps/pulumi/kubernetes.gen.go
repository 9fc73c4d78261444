//go:build ignore

// Writes schema-embed.json and terraform-mapping-embed.json into the working directory, as
// upstream's cmd/pulumi-resource-kubernetes/generate.go does: the schema with "version" set
// to $VERSION, both files re-serialised compactly.
//
//	VERSION=4.25.0 go run ./gen.go <schema.json> <terraform-mapping.json>
package main

import (
	"encoding/json"
	"log"
	"os"
)

func main() {
	version, found := os.LookupEnv("VERSION")
	if !found || len(os.Args) != 3 {
		log.Fatal("usage: VERSION=x.y.z go run ./gen.go <schema.json> <terraform-mapping.json>")
	}

	schemaContents, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	var spec map[string]json.RawMessage
	if err := json.Unmarshal(schemaContents, &spec); err != nil {
		log.Fatalf("cannot deserialize schema: %v", err)
	}
	if spec["name"] == nil || spec["resources"] == nil {
		log.Fatal("schema.json has no name or resources")
	}
	if spec["version"], err = json.Marshal(version); err != nil {
		log.Fatal(err)
	}
	out, err := json.Marshal(spec)
	if err != nil {
		log.Fatalf("cannot reserialize schema: %v", err)
	}
	if err := os.WriteFile("schema-embed.json", out, 0o600); err != nil {
		log.Fatal(err)
	}

	mappingContents, err := os.ReadFile(os.Args[2])
	if err != nil {
		log.Fatal(err)
	}
	var mapping any
	if err := json.Unmarshal(mappingContents, &mapping); err != nil {
		log.Fatalf("cannot deserialize terraform mapping: %v", err)
	}
	if out, err = json.Marshal(mapping); err != nil {
		log.Fatalf("cannot reserialize terraform mapping: %v", err)
	}
	if err := os.WriteFile("terraform-mapping-embed.json", out, 0o600); err != nil {
		log.Fatal(err)
	}
}
