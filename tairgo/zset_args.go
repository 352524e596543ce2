package tair

// ExZAddArgs holds the options of EXZADD (TairZset).
type ExZAddArgs struct {
	arg
}

// New returns a pointer to a copy of a, with an empty Set, for chaining.
func (a ExZAddArgs) New() *ExZAddArgs {
	a.Set = make(map[string]bool)
	return &a
}

// Xx updates only members that exist.
func (a *ExZAddArgs) Xx() *ExZAddArgs { a.mark(XX); return a }

// Nx adds only members that do not exist.
func (a *ExZAddArgs) Nx() *ExZAddArgs { a.mark(NX); return a }

// Ch counts changed members, not only added ones.
func (a *ExZAddArgs) Ch() *ExZAddArgs { a.mark(CH); return a }

// Incr adds the score to the member's instead of replacing it.
func (a *ExZAddArgs) Incr() *ExZAddArgs { a.mark(INCR); return a }

// GetArgs returns the options as they are sent before the scores and members.
func (a *ExZAddArgs) GetArgs() []interface{} {
	if a == nil {
		return nil
	}
	args := make([]any, 0, 4)
	for _, k := range []string{XX, NX, CH, INCR} {
		args = a.flag(args, k)
	}
	return args
}

// ExZAddMember is one member of EXZADD; Score holds one score or several joined by "#".
type ExZAddMember struct {
	Score  string
	Member string
}

// ExZRangeArgs holds the options of the EXZRANGEBY* commands (TairZset).
type ExZRangeArgs struct {
	arg
	offset, count int64
}

// New returns a pointer to a copy of a, with an empty Set, for chaining.
func (a ExZRangeArgs) New() *ExZRangeArgs {
	a.Set = make(map[string]bool)
	return &a
}

// WithScores returns each member's score after it.
func (a *ExZRangeArgs) WithScores() *ExZRangeArgs { a.mark(WITHSCORES); return a }

// Limit returns count members from offset.
func (a *ExZRangeArgs) Limit(offset, count int64) *ExZRangeArgs {
	a.mark(LIMIT)
	a.offset, a.count = offset, count
	return a
}

// GetArgs returns the options as they are sent after min and max.
func (a *ExZRangeArgs) GetArgs() []interface{} {
	if a == nil {
		return nil
	}
	args := a.flag(make([]any, 0, 4), WITHSCORES)
	if a.has(LIMIT) {
		args = append(args, LIMIT, a.offset, a.count)
	}
	return args
}
