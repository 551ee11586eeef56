package provider

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/virtual-kubelet/virtual-kubelet/node/api"
)

// Container logs are kept as a CRI runtime keeps them: one file per container run, one line per output line,
// `<RFC3339Nano time> <stdout|stderr> <text>`, so `kubectl logs` can ask for timestamps, a tail, a start time or
// the previous run.

// logFile takes a process's stdout and stderr and writes them, line by line, to one run's log file.
type logFile struct {
	mu   sync.Mutex
	file *os.File
	now  func() time.Time
}

func openLogFile(path string) (*logFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, err
	}
	return &logFile{file: f, now: time.Now}, nil
}

func (l *logFile) writeLine(stream string, line []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = fmt.Fprintf(l.file, "%s %s %s\n", l.now().UTC().Format(time.RFC3339Nano), stream, line)
}

// stream returns a writer for one of the process's streams; call its Close after the process exits.
func (l *logFile) stream(name string) io.WriteCloser {
	return &lineWriter{log: l, name: name}
}

func (l *logFile) Close() error { return l.file.Close() }

type lineWriter struct {
	log     *logFile
	name    string
	pending []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.pending = append(w.pending, p...)
	for {
		i := bytes.IndexByte(w.pending, '\n')
		if i < 0 {
			break
		}
		w.log.writeLine(w.name, w.pending[:i])
		w.pending = w.pending[i+1:]
	}
	return len(p), nil
}

func (w *lineWriter) Close() error {
	if len(w.pending) > 0 {
		w.log.writeLine(w.name, w.pending)
		w.pending = nil
	}
	return nil
}

// logLine is one parsed line of a log file.
type logLine struct {
	time time.Time
	text string
}

func parseLogLine(raw string) (logLine, bool) {
	ts, rest, ok := strings.Cut(raw, " ")
	if !ok {
		return logLine{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return logLine{}, false
	}
	_, text, _ := strings.Cut(rest, " ")
	return logLine{time: t, text: text}, true
}

// formatLine renders a line for the client: with the kubelet's timestamp prefix when asked.
func formatLine(l logLine, opts api.ContainerLogOpts) string {
	if opts.Timestamps {
		return l.time.Format(time.RFC3339Nano) + " " + l.text + "\n"
	}
	return l.text + "\n"
}

// since is the earliest time a line may have (zero when no limit), from sinceSeconds or sinceTime.
func since(opts api.ContainerLogOpts, now time.Time) time.Time {
	if opts.SinceSeconds > 0 {
		return now.Add(-time.Duration(opts.SinceSeconds) * time.Second)
	}
	return opts.SinceTime
}

// selectLines applies sinceTime/sinceSeconds and tailLines to what the file holds so far.
func selectLines(raw []string, opts api.ContainerLogOpts, now time.Time) []logLine {
	from := since(opts, now)
	var lines []logLine
	for _, r := range raw {
		l, ok := parseLogLine(r)
		if !ok || (!from.IsZero() && l.time.Before(from)) {
			continue
		}
		lines = append(lines, l)
	}
	if opts.Tail > 0 && len(lines) > opts.Tail {
		lines = lines[len(lines)-opts.Tail:]
	}
	return lines
}

// readLogs streams one run's log: what is there, then (follow) new lines until the run has ended (done closed) and
// the file is drained, or ctx ends. limitBytes cuts the output.
func readLogs(ctx context.Context, path string, opts api.ContainerLogOpts, done <-chan struct{}) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() {
		defer f.Close()
		var out io.Writer = pw
		if opts.LimitBytes > 0 {
			out = &limitWriter{w: pw, left: opts.LimitBytes}
		}
		reader := bufio.NewReader(f)
		var existing []string
		var partial string
		for {
			line, err := reader.ReadString('\n')
			if err != nil {
				partial = line
				break
			}
			existing = append(existing, strings.TrimSuffix(line, "\n"))
		}
		for _, l := range selectLines(existing, opts, time.Now()) {
			if _, err := io.WriteString(out, formatLine(l, opts)); err != nil {
				closeWith(pw, err)
				return
			}
		}
		if !opts.Follow {
			pw.Close()
			return
		}
		ticker := time.NewTicker(200 * time.Millisecond)
		defer ticker.Stop()
		finished := false
		for {
			line, err := reader.ReadString('\n')
			if err == nil {
				line = partial + line
				partial = ""
				if l, ok := parseLogLine(strings.TrimSuffix(line, "\n")); ok {
					if _, werr := io.WriteString(out, formatLine(l, opts)); werr != nil {
						closeWith(pw, werr)
						return
					}
				}
				continue
			}
			partial += line
			if finished {
				pw.Close()
				return
			}
			select {
			case <-ctx.Done():
				pw.CloseWithError(ctx.Err())
				return
			case <-done:
				finished = true // read once more to drain what the last moments wrote
			case <-ticker.C:
			}
		}
	}()
	return pr, nil
}

type limitWriter struct {
	w    io.Writer
	left int
}

var errLimitReached = fmt.Errorf("limitBytes reached")

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errLimitReached
	}
	if len(p) > l.left {
		p = p[:l.left]
	}
	n, err := l.w.Write(p)
	l.left -= n
	if err == nil && l.left <= 0 {
		return n, errLimitReached
	}
	return n, err
}

// closeWith ends the stream: reaching limitBytes is a normal end, anything else an error.
func closeWith(pw *io.PipeWriter, err error) {
	if err == errLimitReached {
		_ = pw.Close()
		return
	}
	_ = pw.CloseWithError(err)
}
