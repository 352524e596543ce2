package exhash

import "context"

// ExHGet returns the field's value, or redis.Nil if the key or field does not exist (like HGET).
func (cs Commands) ExHGet(ctx context.Context, key, field string) *StringCmd {
	return send(ctx, cs, decodeBulk, "exhget", key, field)
}

// ExHGetWithVer returns the field's value and version, or redis.Nil if it does not exist.
func (cs Commands) ExHGetWithVer(ctx context.Context, key, field string) *ValueVersionCmd {
	return send(ctx, cs, decodeValueVersion, "exhgetwithver", key, field)
}

// fieldArgs builds "cmd key f1 f2 …", refusing an empty field list as the server would.
func fieldArgs(name, key string, fields []string) ([]any, error) {
	args := make([]any, 0, 2+len(fields))
	args = append(args, name, key)
	if len(fields) == 0 {
		return args, invalid(ErrArity, name, "no fields")
	}
	for _, f := range fields {
		args = append(args, f)
	}
	return args, nil
}

// ExHMGet returns the values of fields in request order, nil where a field does not exist.
func (cs Commands) ExHMGet(ctx context.Context, key string, fields ...string) *OptionalStringSliceCmd {
	args, err := fieldArgs("exhmget", key, fields)
	if err != nil {
		return refused[[]*string](cs, args, err)
	}
	return send(ctx, cs, decodeOptionalStrings, args...)
}

// ExHMGetWithVer returns the values and versions of fields in request order, nil where a field does
// not exist.
func (cs Commands) ExHMGetWithVer(ctx context.Context, key string, fields ...string) *ValueVersionSliceCmd {
	args, err := fieldArgs("exhmgetwithver", key, fields)
	if err != nil {
		return refused[[]*ValueVersion](cs, args, err)
	}
	return send(ctx, cs, decodeValueVersions, args...)
}

// ExHLen returns the number of fields. On the module this counts expired fields that have not been
// removed yet; ExHLenNoExp counts live fields only.
func (cs Commands) ExHLen(ctx context.Context, key string) *IntCmd {
	return send(ctx, cs, decodeInt, "exhlen", key)
}

// ExHLenNoExp returns the number of live fields (EXHLEN key NOEXP; O(N) on the module).
func (cs Commands) ExHLenNoExp(ctx context.Context, key string) *IntCmd {
	return send(ctx, cs, decodeInt, "exhlen", key, "NOEXP")
}

// ExHExists reports whether the field exists.
func (cs Commands) ExHExists(ctx context.Context, key, field string) *BoolCmd {
	return send(ctx, cs, decodeBool, "exhexists", key, field)
}

// ExHStrLen returns the length of the field's value in bytes (0 when it does not exist).
func (cs Commands) ExHStrLen(ctx context.Context, key, field string) *IntCmd {
	return send(ctx, cs, decodeInt, "exhstrlen", key, field)
}

// ExHKeys returns all field names (in no particular order).
func (cs Commands) ExHKeys(ctx context.Context, key string) *StringSliceCmd {
	return send(ctx, cs, decodeStrings, "exhkeys", key)
}

// ExHVals returns all values (in no particular order).
func (cs Commands) ExHVals(ctx context.Context, key string) *StringSliceCmd {
	return send(ctx, cs, decodeStrings, "exhvals", key)
}

// ExHGetAll returns all fields and values (an empty map when the key does not exist).
func (cs Commands) ExHGetAll(ctx context.Context, key string) *StringMapCmd {
	return send(ctx, cs, decodeMap, "exhgetall", key)
}

// ExHGetAllWithVer returns all fields with their values and versions.
func (cs Commands) ExHGetAllWithVer(ctx context.Context, key string) *ValueVersionMapCmd {
	return send(ctx, cs, decodeValueVersionMap, "exhgetallwithver", key)
}
