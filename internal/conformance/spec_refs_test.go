package conformance

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The specification is docs/semantics.md. Code, tests and docs cite its sections as "§3.1",
// "§3.2–3.4", "§11 D1" or "spec 3.19, 3.20"; these tests keep every such citation pointing at a
// heading (or, for "§11 Dn", a defect row) that exists.

const specPath = "docs/semantics.md"

// oldSpec is the file name of the reference this specification replaced, kept outside the
// repository; nothing should point there any more.
const oldSpec = "tairhash-" + "semantics.md"

var (
	// sectionCite matches "§3.1", "§12" and ranges "§3.2–3.4", "§3.22-23".
	sectionCite = regexp.MustCompile(`§(\d+(?:\.\d+)?)(?:[–-](\d+(?:\.\d+)?))?`)
	// specCite matches "spec 3.1" and lists "spec 3.19, 3.20" (Lua headers, test comments).
	specCite = regexp.MustCompile(`(?i)\bspec\s+(\d+(?:\.\d+)?(?:\s*,\s*\d+(?:\.\d+)?)*)`)
	// defectCite matches "§11 D1" and "§11, D2".
	defectCite = regexp.MustCompile(`§11,?\s+(D\d+)`)
	// heading matches "## 3. Commands" and "### 3.1 EXHSET" in the specification.
	heading = regexp.MustCompile(`^#{2,6}\s+(\d+(?:\.\d+)*)\.?\s`)
	// defectRow matches a row of the defect table: "| D1 | …".
	defectRow = regexp.MustCompile(`^\|\s*(D\d+)\s*\|`)
)

// citations returns the sections cited on one line, ranges expanded ("§3.2–3.4" gives 3.2, 3.3,
// 3.4), and the defects cited as "§11 Dn".
func citations(line string) (sections, defects []string) {
	for _, m := range sectionCite.FindAllStringSubmatch(line, -1) {
		sections = append(sections, expandRange(m[1], m[2])...)
	}
	for _, m := range specCite.FindAllStringSubmatch(line, -1) {
		for _, n := range strings.Split(m[1], ",") {
			sections = append(sections, strings.TrimSpace(n))
		}
	}
	for _, m := range defectCite.FindAllStringSubmatch(line, -1) {
		defects = append(defects, m[1])
	}
	return sections, defects
}

// expandRange lists the sections from first to last ("3.22", "23" → 3.22, 3.23). Without a
// usable range it returns first alone.
func expandRange(first, last string) []string {
	major, minor, ok := strings.Cut(first, ".")
	if last == "" || !ok {
		return []string{first}
	}
	if lm, ln, ok := strings.Cut(last, "."); ok {
		if lm != major {
			return []string{first, last}
		}
		last = ln
	}
	from, err1 := strconv.Atoi(minor)
	to, err2 := strconv.Atoi(last)
	if err1 != nil || err2 != nil || to < from {
		return []string{first, major + "." + last}
	}
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, major+"."+strconv.Itoa(i))
	}
	return out
}

// specIndex reads the specification's section numbers and the defect IDs of its §11.
func specIndex(t *testing.T, path string) (sections, defects map[string]bool) {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sections, defects = map[string]bool{}, map[string]bool{}
	current := ""
	for line := range strings.SplitSeq(string(text), "\n") {
		if m := heading.FindStringSubmatch(line); m != nil {
			sections[m[1]] = true
			current = m[1]
		}
		if m := defectRow.FindStringSubmatch(line); m != nil && (current == "11" || strings.HasPrefix(current, "11.")) {
			defects[m[1]] = true
		}
	}
	return sections, defects
}

// TestSpecCitationsResolve walks the repository's Go, Lua and Markdown files and fails for every
// cited section without a heading in docs/semantics.md, every "§11 Dn" without a defect row, and
// every mention of the old specification outside the repository.
func TestSpecCitationsResolve(t *testing.T) {
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found from the package directory: %v", err)
	}
	sections, defects := specIndex(t, filepath.Join(root, specPath))
	if len(sections) < 40 || len(defects) < 8 {
		t.Fatalf("%s: %d headings and %d defect rows found; the heading or row format changed", specPath, len(sections), len(defects))
	}
	cited := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !slices.Contains([]string{".go", ".lua", ".md"}, filepath.Ext(path)) {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(root, path)
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if strings.Contains(line, oldSpec) {
				t.Errorf("%s:%d names a specification outside the repository; cite %s", rel, n, specPath)
			}
			secs, defs := citations(line)
			cited += len(secs) + len(defs)
			for _, s := range secs {
				if !sections[s] {
					t.Errorf("%s:%d cites §%s, which %s has no heading for", rel, n, s, specPath)
				}
			}
			for _, d := range defs {
				if !defects[d] {
					t.Errorf("%s:%d cites §11 %s, which is not a row of %s §11", rel, n, d, specPath)
				}
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if cited < 100 {
		t.Errorf("only %d citations found: the patterns no longer match how the code cites the specification", cited)
	}
}

// TestCitationPatterns pins what counts as a citation, so that a pattern that silently stopped
// matching (and let every citation through) is caught.
func TestCitationPatterns(t *testing.T) {
	cases := []struct {
		line              string
		sections, defects []string
	}{
		{"// §3.1 EXHSET and §4 versions.", []string{"3.1", "4"}, nil},
		{"exhsetnx, exhmset,   §3.2–3.4   EXHSETNX", []string{"3.2", "3.3", "3.4"}, nil},
		{"§3.22-23   counting", []string{"3.22", "3.23"}, nil},
		{"reads (read.go)      §3.5–3.8,  §3.19–3.20", []string{"3.5", "3.6", "3.7", "3.8", "3.19", "3.20"}, nil},
		{"crashes it (spec §11 D1), see §11, D2.", []string{"11", "11"}, []string{"D1", "D2"}},
		{"-- EXHEXISTS key field | EXHSTRLEN key field  (spec 3.19, 3.20)", []string{"3.19", "3.20"}, nil},
		{"// Spec 3.1, outcomes; spec 4, versions of EXHSET.", []string{"3.1", "4"}, nil},
		{"(§1.1 of the specification)", []string{"1.1"}, nil},
		{"no citation: specification, spec's text, 3.1 alone", nil, nil},
	}
	for _, c := range cases {
		secs, defs := citations(c.line)
		if !slices.Equal(secs, c.sections) || !slices.Equal(defs, c.defects) {
			t.Errorf("citations(%q) = %q, %q; want %q, %q", c.line, secs, defs, c.sections, c.defects)
		}
	}
}
