// Package images maps a container image name to how the virtual node runs it as a local process. It stands in for
// a container runtime's image store: the node cannot pull images, so images.json says, per image, which host
// command plays its ENTRYPOINT/CMD, with which extra environment and working directory.
package images

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Image is how one image runs: Command plays the image's ENTRYPOINT, Args its CMD (both as Kubernetes applies a
// container's command/args over them), Env the image's ENV (the container's env wins), Dir its WORKDIR.
type Image struct {
	Command []string          `json:"command"`
	Args    []string          `json:"args,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
	Dir     string            `json:"dir,omitempty"`
}

// Map is images.json: image name (exact, or a prefix ending in `*`) → Image.
type Map map[string]Image

// Load reads and validates an images.json file.
func Load(path string) (Map, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the image map: %w", err)
	}
	return Parse(data)
}

// Parse validates an images.json document.
func Parse(data []byte) (Map, error) {
	var m Map
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("image map is not valid JSON of {\"<image>\": {\"command\": [...]}}: %w", err)
	}
	for name, image := range m {
		if name == "" || name == "*" {
			return nil, fmt.Errorf("image map: %q is not an image name or prefix", name)
		}
		if strings.Contains(strings.TrimSuffix(name, "*"), "*") {
			return nil, fmt.Errorf("image map: %q: `*` is only allowed at the end, as a prefix", name)
		}
		if len(image.Command) == 0 {
			return nil, fmt.Errorf("image map: %q has no command", name)
		}
	}
	return m, nil
}

// Lookup finds an image: an exact entry first, else the longest matching prefix entry.
func (m Map) Lookup(image string) (Image, bool) {
	if found, ok := m[image]; ok {
		return found, true
	}
	var prefixes []string
	for name := range m {
		if strings.HasSuffix(name, "*") && strings.HasPrefix(image, strings.TrimSuffix(name, "*")) {
			prefixes = append(prefixes, name)
		}
	}
	if len(prefixes) == 0 {
		return Image{}, false
	}
	sort.Slice(prefixes, func(i, j int) bool { return len(prefixes[i]) > len(prefixes[j]) })
	return m[prefixes[0]], true
}

// Argv is the process a container runs, as Kubernetes combines an image's ENTRYPOINT/CMD with a container's
// command/args: command replaces the entrypoint and drops the image's args; args alone replace only the CMD.
func Argv(image Image, command, args []string) []string {
	switch {
	case len(command) > 0:
		return append(append([]string{}, command...), args...)
	case len(args) > 0:
		return append(append([]string{}, image.Command...), args...)
	default:
		return append(append([]string{}, image.Command...), image.Args...)
	}
}
