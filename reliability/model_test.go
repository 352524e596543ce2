package reliability

import (
	"fmt"

	"github.com/anishathalye/porcupine"
)

// The sequential model of one field, as the specification (§3.1, §3.9, §3.16, §4, §5) describes
// it, for the operations the linearizability suite issues.
//
// Time. Every operation carries the window [T0, T1] of server milliseconds in which it ran (read
// from the host clock, which the loopback servers share, widened by clockSlack on each side). The
// server decides expiry at one instant of that window, so the model does the same with what it
// knows:
//   - a deadline set by PX ttl is only known to lie in [T0+ttl, T1+ttl] of the setting operation;
//   - a later operation sees the field expired if the latest possible deadline is at or before
//     its T0 (the spec's "now ≥ deadline"), alive if the earliest possible deadline is after its
//     T1, and either otherwise: the model is nondeterministic there and keeps both states.
//
// The model is therefore slightly permissive at expiry boundaries (it accepts both outcomes
// inside the window) and exact everywhere else.

// opKind names a model operation.
type opKind uint8

const (
	opSet opKind = iota
	opIncr
	opDel
	opGet
)

// cond is EXHSET's NX/XX choice.
type cond uint8

const (
	condNone cond = iota
	condNX
	condXX
)

// lInput is one operation on one field.
type lInput struct {
	Field  string
	Kind   opKind
	Cond   cond  // opSet
	Ver    int64 // opSet: VER v when HasVer
	HasVer bool
	PX     int64 // opSet, opIncr: PX ttl in ms when > 0, else no TTL option (TTL removed)
	Arg    int64 // opSet: value written; opIncr: increment
	T0, T1 int64 // server-ms window, widened by clockSlack
}

// lOutput is what the server answered.
type lOutput struct {
	Stale   bool  // ERR update version is stale
	Code    int64 // opSet: 1/0/-1; opIncr: new value; opDel: removed count
	Present bool  // opGet
	Value   int64 // opGet
	Version int64 // opGet
}

// fieldState is the model's state of one field. Deadlines are a window [DLo, DHi]; both 0 means
// no TTL.
type fieldState struct {
	Present  bool
	Value    int64
	Version  int64
	DLo, DHi int64
}

var absent = fieldState{}

// views returns the states the field may be in when op runs: expired fields are absent.
func views(s fieldState, in lInput) []fieldState {
	if !s.Present || s.DHi == 0 {
		return []fieldState{s}
	}
	switch {
	case s.DHi <= in.T0:
		return []fieldState{absent}
	case s.DLo > in.T1:
		return []fieldState{s}
	default:
		return []fieldState{s, absent}
	}
}

// withTTL applies the TTL option of a successful EXHSET/EXHINCRBY: PX sets a deadline window,
// no option removes the TTL.
func withTTL(s fieldState, in lInput) fieldState {
	if in.PX > 0 {
		s.DLo, s.DHi = in.T0+in.PX, in.T1+in.PX
	} else {
		s.DLo, s.DHi = 0, 0
	}
	return s
}

// apply runs in on the visible state c and returns the output the spec prescribes and the next
// state.
func apply(c fieldState, in lInput) (lOutput, fieldState) {
	switch in.Kind {
	case opSet:
		if !c.Present {
			if in.Cond == condXX {
				return lOutput{Code: -1}, c
			}
			return lOutput{Code: 1}, withTTL(fieldState{Present: true, Value: in.Arg, Version: 1}, in)
		}
		if in.Cond == condNX {
			return lOutput{Code: -1}, c
		}
		if in.HasVer && in.Ver != 0 && in.Ver != c.Version {
			return lOutput{Stale: true}, c
		}
		return lOutput{Code: 0}, withTTL(fieldState{Present: true, Value: in.Arg, Version: c.Version + 1}, in)
	case opIncr:
		if !c.Present {
			return lOutput{Code: in.Arg}, withTTL(fieldState{Present: true, Value: in.Arg, Version: 1}, in)
		}
		n := c.Value + in.Arg
		return lOutput{Code: n}, withTTL(fieldState{Present: true, Value: n, Version: c.Version + 1}, in)
	case opDel:
		if !c.Present {
			return lOutput{Code: 0}, c
		}
		return lOutput{Code: 1}, absent
	default: // opGet
		if !c.Present {
			return lOutput{}, c
		}
		return lOutput{Present: true, Value: c.Value, Version: c.Version}, c
	}
}

// fieldModel is the nondeterministic model, partitioned by field (fields are independent in the
// specification, so a history is linearizable iff each field's is).
var fieldModel = porcupine.NondeterministicModel{
	Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
		by := map[string][]porcupine.Operation{}
		var order []string
		for _, op := range h {
			f := op.Input.(lInput).Field
			if _, ok := by[f]; !ok {
				order = append(order, f)
			}
			by[f] = append(by[f], op)
		}
		out := make([][]porcupine.Operation, 0, len(order))
		for _, f := range order {
			out = append(out, by[f])
		}
		return out
	},
	Init: func() []any { return []any{absent} },
	Step: func(state, input, output any) []any {
		in, out := input.(lInput), output.(lOutput)
		var next []any
		for _, c := range views(state.(fieldState), in) {
			want, s := apply(c, in)
			if want == out {
				next = append(next, s)
			}
		}
		return next
	},
	DescribeOperation: func(input, output any) string {
		in, out := input.(lInput), output.(lOutput)
		return fmt.Sprintf("%s %+v -> %+v", in.Field, in, out)
	},
	DescribeState: func(state any) string { return fmt.Sprintf("%+v", state) },
}
