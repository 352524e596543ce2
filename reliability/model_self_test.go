package reliability

import (
	"testing"

	"github.com/anishathalye/porcupine"
)

// The model must reject what the specification forbids, or the linearizability suite could not
// fail: a field read alive after its deadline surely passed, a version that skipped a step, a
// NX write that won twice, and a read missing a field whose deadline surely had not come.
func TestModelRejectsViolations(t *testing.T) {
	op := func(client int, in lInput, out lOutput, call, ret int64) porcupine.Operation {
		in.Field = "f"
		in.T0, in.T1 = call, ret
		return porcupine.Operation{ClientId: client, Input: in, Output: out, Call: call, Return: ret}
	}
	setPX := func(px int64) lInput { return lInput{Kind: opSet, Arg: 7, PX: px} }
	get := lInput{Kind: opGet}
	cases := map[string][]porcupine.Operation{
		"alive after deadline": {
			op(0, setPX(10), lOutput{Code: 1}, 0, 1),
			op(0, get, lOutput{Present: true, Value: 7, Version: 1}, 20, 21),
		},
		"gone before deadline": {
			op(0, setPX(100), lOutput{Code: 1}, 0, 1),
			op(0, get, lOutput{}, 20, 21),
		},
		"version skipped": {
			op(0, setPX(0), lOutput{Code: 1}, 0, 1),
			op(0, setPX(0), lOutput{Code: 0}, 2, 3),
			op(0, get, lOutput{Present: true, Value: 7, Version: 3}, 4, 5),
		},
		"NX won twice": {
			op(0, lInput{Kind: opSet, Cond: condNX, Arg: 1}, lOutput{Code: 1}, 0, 10),
			op(1, lInput{Kind: opSet, Cond: condNX, Arg: 2}, lOutput{Code: 1}, 0, 10),
		},
		"stale VER accepted": {
			op(0, setPX(0), lOutput{Code: 1}, 0, 1),
			op(0, lInput{Kind: opSet, Arg: 9, HasVer: true, Ver: 5}, lOutput{Code: 0}, 2, 3),
		},
	}
	model := fieldModel.ToModel()
	for name, h := range cases {
		if porcupine.CheckOperations(model, h) {
			t.Errorf("%s: accepted", name)
		}
	}
	// And the boundary: a read inside the deadline window may see either outcome.
	for _, out := range []lOutput{{}, {Present: true, Value: 7, Version: 1}} {
		h := []porcupine.Operation{op(0, setPX(10), lOutput{Code: 1}, 0, 1), op(0, get, out, 10, 11)}
		if !porcupine.CheckOperations(model, h) {
			t.Errorf("read at the deadline answering %+v rejected", out)
		}
	}
}
