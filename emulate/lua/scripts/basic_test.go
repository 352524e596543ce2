package scripts

import "testing"

func TestExhsetBasics(t *testing.T) {
	scenario(t,
		s("exhset k f v", ":1"),
		s("exhset k f v2", ":0"),
		s("exhget k f", `"v2"`),
		s("exhgetwithver k f", `["v2", :2]`),
		s("exhget k nofield", "nil"),
		s("exhget nokey f", "nil"),
		s("exhset k", "-ERR wrong number of arguments for 'exhset' command"),
		s("EXHSET k f", "-ERR wrong number of arguments for 'exhset' command"),
		s("exhset k f v xx nx", "-ERR syntax error"),
		s("exhset k f v ver 1", "-ERR update version is stale"),
		s("exhset k f v ver 2", ":0"),
		s("exhgetall k", `["f", "v"]`),
		s("exhdel k f nofield", ":1"),
		s("exhgetall k", "[]"),
	)
}
