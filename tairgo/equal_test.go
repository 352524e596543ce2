package tair_test

import "reflect"

// equalValues compares results; an empty map or slice equals a nil one.
func equalValues(got, want any) bool {
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	if g.Kind() == w.Kind() && (g.Kind() == reflect.Map || g.Kind() == reflect.Slice) && g.Len() == 0 && w.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(got, want)
}
