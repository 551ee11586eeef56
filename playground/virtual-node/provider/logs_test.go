package provider

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/virtual-kubelet/virtual-kubelet/node/api"
)

func writeLog(t *testing.T, path string, lines map[time.Time]string, order []time.Time) *logFile {
	t.Helper()
	lf, err := openLogFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range order {
		at := at
		lf.now = func() time.Time { return at }
		_, _ = lf.stream("stdout").Write([]byte(lines[at] + "\n"))
	}
	return lf
}

func TestLogsTailSinceAndTimestamps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "0.log")
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	order := []time.Time{base, base.Add(time.Second), base.Add(2 * time.Second)}
	lines := map[time.Time]string{order[0]: "one", order[1]: "two", order[2]: "three"}
	lf := writeLog(t, path, lines, order)
	lf.Close()
	done := make(chan struct{})
	close(done)
	read := func(opts api.ContainerLogOpts) string {
		rc, err := readLogs(context.Background(), path, opts, done)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(rc)
		return string(out)
	}
	if got := read(api.ContainerLogOpts{}); got != "one\ntwo\nthree\n" {
		t.Errorf("all: %q", got)
	}
	if got := read(api.ContainerLogOpts{Tail: 2}); got != "two\nthree\n" {
		t.Errorf("tail: %q", got)
	}
	if got := read(api.ContainerLogOpts{SinceTime: base.Add(time.Second)}); got != "two\nthree\n" {
		t.Errorf("since: %q", got)
	}
	if got := read(api.ContainerLogOpts{Tail: 1, Timestamps: true}); got != "2026-01-01T00:00:02Z three\n" {
		t.Errorf("timestamps: %q", got)
	}
	if got := read(api.ContainerLogOpts{LimitBytes: 5}); got != "one\nt" {
		t.Errorf("limitBytes: %q", got)
	}
}

func TestLogsFollowUntilTheRunEnds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "0.log")
	lf, err := openLogFile(path)
	if err != nil {
		t.Fatal(err)
	}
	stdout := lf.stream("stdout")
	_, _ = stdout.Write([]byte("before\n"))
	done := make(chan struct{})
	rc, err := readLogs(context.Background(), path, api.ContainerLogOpts{Follow: true}, done)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = stdout.Write([]byte("after\npartial"))
	_ = stdout.Close() // the process exited: its unterminated last line is written too
	close(done)
	out, _ := io.ReadAll(rc)
	if string(out) != "before\nafter\npartial\n" {
		t.Errorf("follow: %q", out)
	}
}

func TestLineWriterSplitsStreamsIntoLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "0.log")
	lf, _ := openLogFile(path)
	w := lf.stream("stderr")
	_, _ = w.Write([]byte("a"))
	_, _ = w.Write([]byte("b\nc\n"))
	lf.Close()
	done := make(chan struct{})
	close(done)
	rc, _ := readLogs(context.Background(), path, api.ContainerLogOpts{}, done)
	out, _ := io.ReadAll(rc)
	if strings.TrimSpace(string(out)) != "ab\nc" {
		t.Errorf("got %q", out)
	}
}
