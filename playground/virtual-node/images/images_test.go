package images

import (
	"reflect"
	"testing"
)

func TestLookupPrefersExactThenLongestPrefix(t *testing.T) {
	m, err := Parse([]byte(`{
		"gcr.io/knative/queue": {"command": ["/bin/queue"]},
		"knative-desk/*": {"command": ["generic"]},
		"knative-desk/barrage-*": {"command": ["node", "barrage.js"]},
		"knative-desk/barrage-homepage:0.1.0": {"command": ["node", "homepage.js"]}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"gcr.io/knative/queue":                  "/bin/queue",
		"knative-desk/barrage-homepage:0.1.0":   "homepage.js",
		"knative-desk/barrage-processing:0.1.0": "barrage.js",
		"knative-desk/other:1":                  "generic",
	}
	for image, want := range cases {
		got, ok := m.Lookup(image)
		if !ok {
			t.Fatalf("%s: not found", image)
		}
		if last := got.Command[len(got.Command)-1]; last != want {
			t.Errorf("%s: got %q, want %q", image, last, want)
		}
	}
	if _, ok := m.Lookup("gcr.io/knative/queue:v2"); ok {
		t.Errorf("an exact entry must not match a longer name")
	}
	if _, ok := m.Lookup("busybox"); ok {
		t.Errorf("an image not in the map must not be found")
	}
}

func TestParseRejectsBadMaps(t *testing.T) {
	for _, doc := range []string{
		`[]`,
		`{"x": {"command": []}}`,
		`{"a*b": {"command": ["x"]}}`,
		`{"*": {"command": ["x"]}}`,
	} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", doc)
		}
	}
}

func TestArgvFollowsKubernetesCommandArgsRules(t *testing.T) {
	image := Image{Command: []string{"node", "main.js"}, Args: []string{"--default"}}
	cases := []struct {
		command, args, want []string
	}{
		{nil, nil, []string{"node", "main.js", "--default"}},
		{nil, []string{"--x"}, []string{"node", "main.js", "--x"}},
		{[]string{"sh", "-c"}, nil, []string{"sh", "-c"}},
		{[]string{"sh", "-c"}, []string{"echo"}, []string{"sh", "-c", "echo"}},
	}
	for _, c := range cases {
		if got := Argv(image, c.command, c.args); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Argv(%v, %v) = %v, want %v", c.command, c.args, got, c.want)
		}
	}
}
