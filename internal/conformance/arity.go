package conformance

// §1.3 and §12: every command checks its own argument count and answers with its lower-case name.

// arityCase lists argument lists (after the command name; "K" stands for the scenario's key) that
// have a wrong count for cmd.
type arityCase struct {
	cmd string
	bad [][]string
}

var arityCases = []arityCase{
	{"exhset", [][]string{{}, {"K"}, {"K", "f"}}},
	{"exhsetnx", [][]string{{"K", "f"}, {"K", "f", "v", "x"}}},
	{"exhmset", [][]string{{}, {"K", "f"}, {"K", "f", "v", "g"}}},
	{"exhmsetwithopts", [][]string{{}, {"K", "f"}, {"K", "f", "v"}, {"K", "f", "v", "1"}, {"K", "f", "v", "1", "1", "g"}}},
	{"exhget", [][]string{{"K"}, {"K", "f", "g"}}},
	{"exhgetwithver", [][]string{{"K"}, {"K", "f", "g"}}},
	{"exhmget", [][]string{{}, {"K"}}},
	{"exhmgetwithver", [][]string{{}, {"K"}}},
	{"exhincrby", [][]string{{"K"}, {"K", "f"}}},
	{"exhincrbyfloat", [][]string{{"K"}, {"K", "f"}}},
	{"exhpexpire", [][]string{{"K", "f"}, {"K", "f", "1", "ver", "1", "x", "y"}}},
	{"exhexpire", [][]string{{"K", "f"}, {"K", "f", "1", "ver", "1", "x", "y"}}},
	{"exhpexpireat", [][]string{{"K", "f"}, {"K", "f", "1", "ver", "1", "x", "y"}}},
	{"exhexpireat", [][]string{{"K", "f"}, {"K", "f", "1", "ver", "1", "x", "y"}}},
	{"exhpersist", [][]string{{"K"}, {"K", "f", "g"}}},
	{"exhttl", [][]string{{"K"}, {"K", "f", "g"}}},
	{"exhpttl", [][]string{{"K"}, {"K", "f", "g"}}},
	{"exhver", [][]string{{"K"}, {"K", "f", "g"}}},
	{"exhsetver", [][]string{{"K", "f"}, {"K", "f", "1", "x"}}},
	{"exhdel", [][]string{{}, {"K"}}},
	{"exhdelwithver", [][]string{{"K"}, {"K", "f"}, {"K", "f", "1", "g"}}},
	{"exhlen", [][]string{{}, {"K", "noexp", "x"}}},
	{"exhexists", [][]string{{"K"}, {"K", "f", "g"}}},
	{"exhstrlen", [][]string{{"K"}, {"K", "f", "g"}}},
	{"exhkeys", [][]string{{}, {"K", "x"}}},
	{"exhvals", [][]string{{}, {"K", "x"}}},
	{"exhgetall", [][]string{{}, {"K", "x"}}},
	{"exhgetallwithver", [][]string{{}, {"K", "x"}}},
	{"exhscan", [][]string{{"K"}, {"K", "0", "match", "*", "count", "1", "x"}}},
}

// arityScenarios has one scenario per command.
var arityScenarios = func() []scenario {
	var out []scenario
	for _, c := range arityCases {
		out = append(out, scenario{"arity/" + c.cmd, func(e *env) {
			k := e.key("k")
			for _, args := range c.bad {
				cmd := []any{c.cmd}
				for _, a := range args {
					if a == "K" {
						a = k
					}
					cmd = append(cmd, a)
				}
				e.want(errArity(c.cmd), cmd...)
			}
			e.wantExists(k, false, "arity errors create nothing")
		}})
	}
	return out
}()
