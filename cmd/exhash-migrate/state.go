package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// state is the progress of a run: per master, the SCAN cursor to resume from, and whether its
// scan finished. Without a path it is kept in memory only.
type state struct {
	path string

	mu      sync.Mutex
	Masters map[string]*masterState `json:"masters"`
	Done    bool                    `json:"done"` // every master finished
}

type masterState struct {
	Cursor uint64 `json:"cursor"`
	Done   bool   `json:"done"`
}

func loadState(path string) (*state, error) {
	st := &state{path: path, Masters: map[string]*masterState{}}
	if path == "" {
		return st, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, st); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if st.Masters == nil {
		st.Masters = map[string]*masterState{}
	}
	return st, nil
}

func (st *state) complete() bool { return st.Done }

// cursors returns where to resume each master that has not finished.
func (st *state) cursors() map[string]uint64 {
	out := map[string]uint64{}
	for addr, m := range st.Masters {
		if !m.Done {
			out[addr] = m.Cursor
		}
	}
	return out
}

// finished returns the masters whose scan has completed.
func (st *state) finished() map[string]bool {
	out := map[string]bool{}
	for addr, m := range st.Masters {
		out[addr] = m.Done
	}
	return out
}

// checkpoint records a master's progress (called concurrently for cluster masters).
func (st *state) checkpoint(addr string, cursor uint64, done bool) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.Masters[addr] = &masterState{Cursor: cursor, Done: done}
	return st.save()
}

// finish records that every master finished.
func (st *state) finish() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.Done = true
	return st.save()
}

// save writes the state atomically (temporary file, then rename).
func (st *state) save() error {
	if st.path == "" {
		return nil
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(st.path), ".exhash-migrate-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), st.path)
}
