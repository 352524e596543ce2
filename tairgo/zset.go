package tair

import (
	"context"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// The TairZset commands are sent as they are: only Tair knows them. On a server without them
// (stock Redis, Valkey) each returns the server's "ERR unknown command" error. No backend of this
// library emulates them. A member's scores (several dimensions) are joined by "#".

// ExZAddManyScore adds member with several scores. Tair only.
func (c tairCmdable) ExZAddManyScore(ctx context.Context, key string, member string, scores ...float64) *redis.IntCmd {
	return c.ExZAddManyMemberArgs(ctx, key, nil, ExZAddMember{Score: joinScores(scores), Member: member})
}

// ExZAdd adds member with score ("1.5" or "1#2" for several). Tair only.
func (c tairCmdable) ExZAdd(ctx context.Context, key string, score string, member string) *redis.IntCmd {
	return c.ExZAddManyMemberArgs(ctx, key, nil, ExZAddMember{Score: score, Member: member})
}

// ExZAddArgs is ExZAdd with options. Tair only.
func (c tairCmdable) ExZAddArgs(ctx context.Context, key string, score string, member string, a *ExZAddArgs) *redis.IntCmd {
	return c.ExZAddManyMemberArgs(ctx, key, a, ExZAddMember{Score: score, Member: member})
}

// ExZAddManyMember adds several members. Tair only.
func (c tairCmdable) ExZAddManyMember(ctx context.Context, key string, member ...ExZAddMember) *redis.IntCmd {
	return c.ExZAddManyMemberArgs(ctx, key, nil, member...)
}

// ExZAddManyMemberArgs adds several members with options (a nil a is none). Tair only.
func (c tairCmdable) ExZAddManyMemberArgs(ctx context.Context, key string, a *ExZAddArgs, member ...ExZAddMember) *redis.IntCmd {
	args := append([]any{"exzadd", key}, a.GetArgs()...)
	for _, m := range member {
		args = append(args, m.Score, m.Member)
	}
	return c.intCmd(ctx, args...)
}

// ExZIncrBy adds score to member's score and returns the new one. Tair only.
func (c tairCmdable) ExZIncrBy(ctx context.Context, key string, score string, member string) *redis.StringCmd {
	return c.stringCmd(ctx, "exzincrby", key, score, member)
}

// ExZIncrByManyScore adds several scores to member's (EXZINCRBY; tair-go misspelled the command).
// Tair only.
func (c tairCmdable) ExZIncrByManyScore(ctx context.Context, key string, member string, score ...float64) *redis.StringSliceCmd {
	return c.stringSliceCmd(ctx, "exzincrby", key, joinScores(score), member)
}

// ExZRem removes members. Tair only.
func (c tairCmdable) ExZRem(ctx context.Context, key string, member ...string) *redis.IntCmd {
	return c.intCmd(ctx, keyFields("exzrem", key, member)...)
}

// ExZRemRangeByScore removes the members with scores in [min, max]. Tair only.
func (c tairCmdable) ExZRemRangeByScore(ctx context.Context, key, min, max string) *redis.IntCmd {
	return c.intCmd(ctx, "exzremrangebyscore", key, min, max)
}

// ExZRemRangeByRank removes the members ranked start to stop. Tair only.
func (c tairCmdable) ExZRemRangeByRank(ctx context.Context, key string, start, stop int) *redis.IntCmd {
	return c.intCmd(ctx, "exzremrangebyrank", key, start, stop)
}

// ExZRemRangeByLex removes the members in a lexical range. Tair only.
func (c tairCmdable) ExZRemRangeByLex(ctx context.Context, key, min, max string) *redis.IntCmd {
	return c.intCmd(ctx, "exzremrangebylex", key, min, max)
}

// ExZScore returns member's score. Tair only.
func (c tairCmdable) ExZScore(ctx context.Context, key, member string) *redis.StringCmd {
	return c.stringCmd(ctx, "exzscore", key, member)
}

// ExZRange returns the members ranked min to max. Tair only.
func (c tairCmdable) ExZRange(ctx context.Context, key string, min, max int64) *redis.StringSliceCmd {
	return c.stringSliceCmd(ctx, "exzrange", key, min, max)
}

// ExZRangeWithScores is ExZRange with each member's score after it. Tair only.
func (c tairCmdable) ExZRangeWithScores(ctx context.Context, key string, min, max int64) *redis.StringSliceCmd {
	return c.stringSliceCmd(ctx, "exzrange", key, min, max, "withscores")
}

// ExZRevRange is ExZRange from the highest score. Tair only.
func (c tairCmdable) ExZRevRange(ctx context.Context, key string, min, max int) *redis.StringSliceCmd {
	return c.stringSliceCmd(ctx, "exzrevrange", key, min, max)
}

// ExZRevRangeWithScores is ExZRevRange with scores. Tair only.
func (c tairCmdable) ExZRevRangeWithScores(ctx context.Context, key string, min, max int64) *redis.StringSliceCmd {
	return c.stringSliceCmd(ctx, "exzrevrange", key, min, max, "withscores")
}

// ExZRangeByScore returns the members with scores in [min, max]. Tair only.
func (c tairCmdable) ExZRangeByScore(ctx context.Context, key, min, max string) *redis.StringSliceCmd {
	return c.ExZRangeByScoreWithArgs(ctx, key, min, max, nil)
}

// ExZRangeByScoreWithArgs is ExZRangeByScore with options (a nil arg is none). Tair only.
func (c tairCmdable) ExZRangeByScoreWithArgs(ctx context.Context, key, min, max string, arg *ExZRangeArgs) *redis.StringSliceCmd {
	return c.rangeCmd(ctx, "exzrangebyscore", key, min, max, arg)
}

// ExZRevRangeByScore is ExZRangeByScore from the highest score. Tair only.
func (c tairCmdable) ExZRevRangeByScore(ctx context.Context, key, min, max string) *redis.StringSliceCmd {
	return c.ExZRevRangeByScoreWithArgs(ctx, key, min, max, nil)
}

// ExZRevRangeByScoreWithArgs is ExZRevRangeByScore with options. Tair only.
func (c tairCmdable) ExZRevRangeByScoreWithArgs(ctx context.Context, key, min, max string, arg *ExZRangeArgs) *redis.StringSliceCmd {
	return c.rangeCmd(ctx, "exzrevrangebyscore", key, min, max, arg)
}

// ExZRangeByLex returns the members in a lexical range. Tair only.
func (c tairCmdable) ExZRangeByLex(ctx context.Context, key, min, max string) *redis.StringSliceCmd {
	return c.ExZRangeByLexWithArgs(ctx, key, min, max, nil)
}

// ExZRangeByLexWithArgs is ExZRangeByLex with options. Tair only.
func (c tairCmdable) ExZRangeByLexWithArgs(ctx context.Context, key, min, max string, args *ExZRangeArgs) *redis.StringSliceCmd {
	return c.rangeCmd(ctx, "exzrangebylex", key, min, max, args)
}

// ExZRevRangeByLex is ExZRangeByLex in reverse order. Tair only.
func (c tairCmdable) ExZRevRangeByLex(ctx context.Context, key, min, max string) *redis.StringSliceCmd {
	return c.ExZRevRangeByLexWithArgs(ctx, key, min, max, nil)
}

// ExZRevRangeByLexWithArgs is ExZRevRangeByLex with options. Tair only.
func (c tairCmdable) ExZRevRangeByLexWithArgs(ctx context.Context, key, min, max string, arg *ExZRangeArgs) *redis.StringSliceCmd {
	return c.rangeCmd(ctx, "exzrevrangebylex", key, min, max, arg)
}

func (c tairCmdable) rangeCmd(ctx context.Context, name, key, min, max string, a *ExZRangeArgs) *redis.StringSliceCmd {
	return c.stringSliceCmd(ctx, append([]any{name, key, min, max}, a.GetArgs()...)...)
}

// ExZCard returns the number of members. Tair only.
func (c tairCmdable) ExZCard(ctx context.Context, key string) *redis.IntCmd {
	return c.intCmd(ctx, "exzcard", key)
}

// ExZRank returns member's rank from the lowest score. Tair only.
func (c tairCmdable) ExZRank(ctx context.Context, key, member string) *redis.IntCmd {
	return c.intCmd(ctx, "exzrank", key, member)
}

// ExZRevRank returns member's rank from the highest score. Tair only.
func (c tairCmdable) ExZRevRank(ctx context.Context, key, member string) *redis.IntCmd {
	return c.intCmd(ctx, "exzrevrank", key, member)
}

// ExZRankByScore returns the rank a member with score would have. Tair only.
func (c tairCmdable) ExZRankByScore(ctx context.Context, key, score string) *redis.IntCmd {
	return c.intCmd(ctx, "exzrankbyscore", key, score)
}

// ExZRevRankByScore is ExZRankByScore from the highest score. Tair only.
func (c tairCmdable) ExZRevRankByScore(ctx context.Context, key, score string) *redis.IntCmd {
	return c.intCmd(ctx, "exzrevrankbyscore", key, score)
}

// ExZCount returns the number of members with scores in [min, max]. Tair only.
func (c tairCmdable) ExZCount(ctx context.Context, key, min, max string) *redis.IntCmd {
	return c.intCmd(ctx, "exzcount", key, min, max)
}

// ExZLexCount returns the number of members in a lexical range. Tair only.
func (c tairCmdable) ExZLexCount(ctx context.Context, key, min, max string) *redis.IntCmd {
	return c.intCmd(ctx, "exzlexcount", key, min, max)
}

// joinScores writes the scores of one member as TairZset takes them: "1.5#2#-3" (tair-go wrote
// them with no separator, in exponent notation).
func joinScores(scores []float64) string {
	parts := make([]string, len(scores))
	for i, s := range scores {
		parts[i] = strconv.FormatFloat(s, 'f', -1, 64)
	}
	return strings.Join(parts, "#")
}
