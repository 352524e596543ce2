package devices

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// req holds the few assertions the tests use; each stops the test on failure.
type reqs struct{}

var req reqs

func msg(args []any) string {
	if len(args) == 0 {
		return ""
	}
	if f, ok := args[0].(string); ok {
		return ": " + fmt.Sprintf(f, args[1:]...)
	}
	return ": " + fmt.Sprint(args...)
}

func (reqs) NoError(t testing.TB, err error, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error %v%s", err, msg(args))
	}
}

func (reqs) Error(t testing.TB, err error, args ...any) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected an error%s", msg(args))
	}
}

func (reqs) ErrorIs(t testing.TB, err, target error, args ...any) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v is not %v%s", err, target, msg(args))
	}
}

func (reqs) True(t testing.TB, ok bool, args ...any) {
	t.Helper()
	if !ok {
		t.Fatalf("expected true%s", msg(args))
	}
}

func (reqs) False(t testing.TB, ok bool, args ...any) {
	t.Helper()
	if ok {
		t.Fatalf("expected false%s", msg(args))
	}
}

func (reqs) Equal(t testing.TB, want, got any, args ...any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("got %#v, want %#v%s", got, want, msg(args))
	}
}

// EqualValues compares integers of any type.
func (reqs) EqualValues(t testing.TB, want, got any, args ...any) {
	t.Helper()
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Fatalf("got %v, want %v%s", got, want, msg(args))
	}
}

func (reqs) NotEqual(t testing.TB, a, b any, args ...any) {
	t.Helper()
	if reflect.DeepEqual(a, b) {
		t.Fatalf("both are %#v%s", a, msg(args))
	}
}

func (reqs) Zero(t testing.TB, v any, args ...any) {
	t.Helper()
	if !reflect.ValueOf(v).IsZero() {
		t.Fatalf("got %#v, want zero%s", v, msg(args))
	}
}

func (r reqs) Len(t testing.TB, v any, n int, args ...any) {
	t.Helper()
	if l := reflect.ValueOf(v).Len(); l != n {
		t.Fatalf("length %d, want %d (%v)%s", l, n, v, msg(args))
	}
}

func (r reqs) Empty(t testing.TB, v any, args ...any) { t.Helper(); r.Len(t, v, 0, args...) }

func (reqs) NotContains(t testing.TB, s, sub string, args ...any) {
	t.Helper()
	if strings.Contains(s, sub) {
		t.Fatalf("%q contains %q%s", s, sub, msg(args))
	}
}

func (reqs) Greater(t testing.TB, a, b any, args ...any) {
	t.Helper()
	if !(toF(a) > toF(b)) {
		t.Fatalf("%v is not greater than %v%s", a, b, msg(args))
	}
}

func (reqs) Less(t testing.TB, a, b any, args ...any) {
	t.Helper()
	if !(toF(a) < toF(b)) {
		t.Fatalf("%v is not less than %v%s", a, b, msg(args))
	}
}

func (reqs) WithinDuration(t testing.TB, want, got time.Time, d time.Duration, args ...any) {
	t.Helper()
	if diff := got.Sub(want); diff < -d || diff > d {
		t.Fatalf("%v is %v from %v (max %v)%s", got, diff, want, d, msg(args))
	}
}

func toF(v any) float64 {
	return reflect.ValueOf(v).Convert(reflect.TypeOf(float64(0))).Float()
}
