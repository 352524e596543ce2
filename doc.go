// Package tairhash is the entry point of tairhash-go: per-field TTL and per-field versions on a hash
// (the TairHash data model) for every Go service, whatever server it talks to.
package tairhash
