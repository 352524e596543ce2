package tair_test

// Compile-time check of tair-go's API: every exported method of tair-go's TairHash, TairString and
// TairZset commands and option builders, pinned by method expressions to the parameter and result
// types tair-go declares (go-redis v8's StringStringMapCmd is v9's MapStringStringCmd). A method
// whose types drift stops this file from compiling.

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	tair "github.com/tairhash-go/tairhash/tairgo"
)

var (
	_ = context.Background
	_ time.Duration
)

// TairHash commands on tair.TairClient.
var (
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.IntCmd                        = (*tair.TairClient).ExHSet
	_ func(*tair.TairClient, context.Context, string, string) *redis.StringCmd                             = (*tair.TairClient).ExHGet
	_ func(*tair.TairClient, context.Context, string, string, string, *tair.ExHSetArgs) *redis.IntCmd      = (*tair.TairClient).ExHSetArgs
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.IntCmd                        = (*tair.TairClient).ExHSetNx
	_ func(*tair.TairClient, context.Context, string, map[string]string) *redis.StatusCmd                  = (*tair.TairClient).ExHMSet
	_ func(*tair.TairClient, context.Context, string, ...*tair.ExHMSetWithOptsArgs) *redis.StatusCmd       = (*tair.TairClient).ExHMSetWithOpts
	_ func(*tair.TairClient, context.Context, string, string, int) *redis.BoolCmd                          = (*tair.TairClient).ExHPExpire
	_ func(*tair.TairClient, context.Context, string, string, int) *redis.BoolCmd                          = (*tair.TairClient).ExHPExpireAt
	_ func(*tair.TairClient, context.Context, string, string, int) *redis.BoolCmd                          = (*tair.TairClient).ExHExpire
	_ func(*tair.TairClient, context.Context, string, string, int) *redis.BoolCmd                          = (*tair.TairClient).ExHExpireAt
	_ func(*tair.TairClient, context.Context, string, string) *redis.IntCmd                                = (*tair.TairClient).ExHPTTL
	_ func(*tair.TairClient, context.Context, string, string) *redis.IntCmd                                = (*tair.TairClient).ExHTTL
	_ func(*tair.TairClient, context.Context, string, string) *redis.IntCmd                                = (*tair.TairClient).ExHVer
	_ func(*tair.TairClient, context.Context, string, string, int) *redis.BoolCmd                          = (*tair.TairClient).ExHSetVer
	_ func(*tair.TairClient, context.Context, string, string, int) *redis.IntCmd                           = (*tair.TairClient).ExHIncrBy
	_ func(*tair.TairClient, context.Context, string, string, int, *tair.ExHIncrArgs) *redis.IntCmd        = (*tair.TairClient).ExHIncrByArgs
	_ func(*tair.TairClient, context.Context, string, string, float64) *redis.StringCmd                    = (*tair.TairClient).ExHIncrByFloat
	_ func(*tair.TairClient, context.Context, string, string, float64, *tair.ExHIncrArgs) *redis.StringCmd = (*tair.TairClient).ExHIncrByFloatArgs
	_ func(*tair.TairClient, context.Context, string, string) *redis.SliceCmd                              = (*tair.TairClient).ExHGetWithVer
	_ func(*tair.TairClient, context.Context, string, ...string) *redis.StringSliceCmd                     = (*tair.TairClient).ExHMGet
	_ func(*tair.TairClient, context.Context, string, ...string) *redis.SliceCmd                           = (*tair.TairClient).ExHMGetWithVer
	_ func(*tair.TairClient, context.Context, string, ...string) *redis.IntCmd                             = (*tair.TairClient).ExHDel
	_ func(*tair.TairClient, context.Context, string) *redis.IntCmd                                        = (*tair.TairClient).ExHLen
	_ func(*tair.TairClient, context.Context, string, string) *redis.BoolCmd                               = (*tair.TairClient).ExHExists
	_ func(*tair.TairClient, context.Context, string, string) *redis.IntCmd                                = (*tair.TairClient).ExHStrLen
	_ func(*tair.TairClient, context.Context, string) *redis.StringSliceCmd                                = (*tair.TairClient).ExHKeys
	_ func(*tair.TairClient, context.Context, string) *redis.StringSliceCmd                                = (*tair.TairClient).ExHVals
	_ func(*tair.TairClient, context.Context, string) *redis.MapStringStringCmd                            = (*tair.TairClient).ExHGetAll
	_ func(*tair.TairClient, context.Context, string, string) *redis.SliceCmd                              = (*tair.TairClient).ExHScan
)

// TairString commands on tair.TairClient.
var (
	_ func(*tair.TairClient, context.Context, string, interface{}, interface{}) *redis.IntCmd                = (*tair.TairClient).Cas
	_ func(*tair.TairClient, context.Context, string, interface{}, interface{}, *tair.CasArgs) *redis.IntCmd = (*tair.TairClient).CasArgs
	_ func(*tair.TairClient, context.Context, string, interface{}) *redis.IntCmd                             = (*tair.TairClient).Cad
	_ func(*tair.TairClient, context.Context, string, interface{}) *redis.StatusCmd                          = (*tair.TairClient).ExSet
	_ func(*tair.TairClient, context.Context, string, interface{}, *tair.ExSetArgs) *redis.StatusCmd         = (*tair.TairClient).ExSetArgs
	_ func(*tair.TairClient, context.Context, string, interface{}, tair.ExSetArgs) *redis.IntCmd             = (*tair.TairClient).ExSetWithVersion
	_ func(*tair.TairClient, context.Context, string, int64) *redis.IntCmd                                   = (*tair.TairClient).ExSetVer
	_ func(*tair.TairClient, context.Context, string) *redis.SliceCmd                                        = (*tair.TairClient).ExGet
	_ func(*tair.TairClient, context.Context, string) *redis.SliceCmd                                        = (*tair.TairClient).ExGetWithFlags
	_ func(*tair.TairClient, context.Context, string, int64) *redis.IntCmd                                   = (*tair.TairClient).ExIncrBy
	_ func(*tair.TairClient, context.Context, string, int64, *tair.ExIncrByArgs) *redis.IntCmd               = (*tair.TairClient).ExIncrByArgs
	_ func(*tair.TairClient, context.Context, string, int64, tair.ExIncrByArgs) *redis.SliceCmd              = (*tair.TairClient).ExIncrByWithVersion
	_ func(*tair.TairClient, context.Context, string, float64) *redis.FloatCmd                               = (*tair.TairClient).ExIncrByFloat
	_ func(*tair.TairClient, context.Context, string, float64, *tair.ExIncrByArgs) *redis.FloatCmd           = (*tair.TairClient).ExIncrByFloatArgs
	_ func(*tair.TairClient, context.Context, string, interface{}, int64) *redis.SliceCmd                    = (*tair.TairClient).ExCas
	_ func(*tair.TairClient, context.Context, string, int) *redis.IntCmd                                     = (*tair.TairClient).ExCad
	_ func(*tair.TairClient, context.Context, string, interface{}, string, string, int64) *redis.IntCmd      = (*tair.TairClient).ExAppend
	_ func(*tair.TairClient, context.Context, string, interface{}, string, string, int) *redis.IntCmd        = (*tair.TairClient).ExPreAppend
	_ func(*tair.TairClient, context.Context, string, string, time.Duration) *redis.SliceCmd                 = (*tair.TairClient).ExGae
)

// TairZset commands on tair.TairClient.
var (
	_ func(*tair.TairClient, context.Context, string, string, ...float64) *redis.IntCmd                         = (*tair.TairClient).ExZAddManyScore
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.IntCmd                             = (*tair.TairClient).ExZAdd
	_ func(*tair.TairClient, context.Context, string, string, string, *tair.ExZAddArgs) *redis.IntCmd           = (*tair.TairClient).ExZAddArgs
	_ func(*tair.TairClient, context.Context, string, ...tair.ExZAddMember) *redis.IntCmd                       = (*tair.TairClient).ExZAddManyMember
	_ func(*tair.TairClient, context.Context, string, *tair.ExZAddArgs, ...tair.ExZAddMember) *redis.IntCmd     = (*tair.TairClient).ExZAddManyMemberArgs
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.StringCmd                          = (*tair.TairClient).ExZIncrBy
	_ func(*tair.TairClient, context.Context, string, string, ...float64) *redis.StringSliceCmd                 = (*tair.TairClient).ExZIncrByManyScore
	_ func(*tair.TairClient, context.Context, string, ...string) *redis.IntCmd                                  = (*tair.TairClient).ExZRem
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.IntCmd                             = (*tair.TairClient).ExZRemRangeByScore
	_ func(*tair.TairClient, context.Context, string, int, int) *redis.IntCmd                                   = (*tair.TairClient).ExZRemRangeByRank
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.IntCmd                             = (*tair.TairClient).ExZRemRangeByLex
	_ func(*tair.TairClient, context.Context, string, string) *redis.StringCmd                                  = (*tair.TairClient).ExZScore
	_ func(*tair.TairClient, context.Context, string, int64, int64) *redis.StringSliceCmd                       = (*tair.TairClient).ExZRange
	_ func(*tair.TairClient, context.Context, string, int64, int64) *redis.StringSliceCmd                       = (*tair.TairClient).ExZRangeWithScores
	_ func(*tair.TairClient, context.Context, string, int, int) *redis.StringSliceCmd                           = (*tair.TairClient).ExZRevRange
	_ func(*tair.TairClient, context.Context, string, int64, int64) *redis.StringSliceCmd                       = (*tair.TairClient).ExZRevRangeWithScores
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.StringSliceCmd                     = (*tair.TairClient).ExZRangeByScore
	_ func(*tair.TairClient, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (*tair.TairClient).ExZRangeByScoreWithArgs
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.StringSliceCmd                     = (*tair.TairClient).ExZRevRangeByScore
	_ func(*tair.TairClient, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (*tair.TairClient).ExZRevRangeByScoreWithArgs
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.StringSliceCmd                     = (*tair.TairClient).ExZRangeByLex
	_ func(*tair.TairClient, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (*tair.TairClient).ExZRangeByLexWithArgs
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.StringSliceCmd                     = (*tair.TairClient).ExZRevRangeByLex
	_ func(*tair.TairClient, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (*tair.TairClient).ExZRevRangeByLexWithArgs
	_ func(*tair.TairClient, context.Context, string) *redis.IntCmd                                             = (*tair.TairClient).ExZCard
	_ func(*tair.TairClient, context.Context, string, string) *redis.IntCmd                                     = (*tair.TairClient).ExZRank
	_ func(*tair.TairClient, context.Context, string, string) *redis.IntCmd                                     = (*tair.TairClient).ExZRevRank
	_ func(*tair.TairClient, context.Context, string, string) *redis.IntCmd                                     = (*tair.TairClient).ExZRankByScore
	_ func(*tair.TairClient, context.Context, string, string) *redis.IntCmd                                     = (*tair.TairClient).ExZRevRankByScore
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.IntCmd                             = (*tair.TairClient).ExZCount
	_ func(*tair.TairClient, context.Context, string, string, string) *redis.IntCmd                             = (*tair.TairClient).ExZLexCount
)

// TairHash commands on tair.TairClusterClient.
var (
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.IntCmd                        = (*tair.TairClusterClient).ExHSet
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.StringCmd                             = (*tair.TairClusterClient).ExHGet
	_ func(*tair.TairClusterClient, context.Context, string, string, string, *tair.ExHSetArgs) *redis.IntCmd      = (*tair.TairClusterClient).ExHSetArgs
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.IntCmd                        = (*tair.TairClusterClient).ExHSetNx
	_ func(*tair.TairClusterClient, context.Context, string, map[string]string) *redis.StatusCmd                  = (*tair.TairClusterClient).ExHMSet
	_ func(*tair.TairClusterClient, context.Context, string, ...*tair.ExHMSetWithOptsArgs) *redis.StatusCmd       = (*tair.TairClusterClient).ExHMSetWithOpts
	_ func(*tair.TairClusterClient, context.Context, string, string, int) *redis.BoolCmd                          = (*tair.TairClusterClient).ExHPExpire
	_ func(*tair.TairClusterClient, context.Context, string, string, int) *redis.BoolCmd                          = (*tair.TairClusterClient).ExHPExpireAt
	_ func(*tair.TairClusterClient, context.Context, string, string, int) *redis.BoolCmd                          = (*tair.TairClusterClient).ExHExpire
	_ func(*tair.TairClusterClient, context.Context, string, string, int) *redis.BoolCmd                          = (*tair.TairClusterClient).ExHExpireAt
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.IntCmd                                = (*tair.TairClusterClient).ExHPTTL
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.IntCmd                                = (*tair.TairClusterClient).ExHTTL
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.IntCmd                                = (*tair.TairClusterClient).ExHVer
	_ func(*tair.TairClusterClient, context.Context, string, string, int) *redis.BoolCmd                          = (*tair.TairClusterClient).ExHSetVer
	_ func(*tair.TairClusterClient, context.Context, string, string, int) *redis.IntCmd                           = (*tair.TairClusterClient).ExHIncrBy
	_ func(*tair.TairClusterClient, context.Context, string, string, int, *tair.ExHIncrArgs) *redis.IntCmd        = (*tair.TairClusterClient).ExHIncrByArgs
	_ func(*tair.TairClusterClient, context.Context, string, string, float64) *redis.StringCmd                    = (*tair.TairClusterClient).ExHIncrByFloat
	_ func(*tair.TairClusterClient, context.Context, string, string, float64, *tair.ExHIncrArgs) *redis.StringCmd = (*tair.TairClusterClient).ExHIncrByFloatArgs
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.SliceCmd                              = (*tair.TairClusterClient).ExHGetWithVer
	_ func(*tair.TairClusterClient, context.Context, string, ...string) *redis.StringSliceCmd                     = (*tair.TairClusterClient).ExHMGet
	_ func(*tair.TairClusterClient, context.Context, string, ...string) *redis.SliceCmd                           = (*tair.TairClusterClient).ExHMGetWithVer
	_ func(*tair.TairClusterClient, context.Context, string, ...string) *redis.IntCmd                             = (*tair.TairClusterClient).ExHDel
	_ func(*tair.TairClusterClient, context.Context, string) *redis.IntCmd                                        = (*tair.TairClusterClient).ExHLen
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.BoolCmd                               = (*tair.TairClusterClient).ExHExists
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.IntCmd                                = (*tair.TairClusterClient).ExHStrLen
	_ func(*tair.TairClusterClient, context.Context, string) *redis.StringSliceCmd                                = (*tair.TairClusterClient).ExHKeys
	_ func(*tair.TairClusterClient, context.Context, string) *redis.StringSliceCmd                                = (*tair.TairClusterClient).ExHVals
	_ func(*tair.TairClusterClient, context.Context, string) *redis.MapStringStringCmd                            = (*tair.TairClusterClient).ExHGetAll
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.SliceCmd                              = (*tair.TairClusterClient).ExHScan
)

// TairString commands on tair.TairClusterClient.
var (
	_ func(*tair.TairClusterClient, context.Context, string, interface{}, interface{}) *redis.IntCmd                = (*tair.TairClusterClient).Cas
	_ func(*tair.TairClusterClient, context.Context, string, interface{}, interface{}, *tair.CasArgs) *redis.IntCmd = (*tair.TairClusterClient).CasArgs
	_ func(*tair.TairClusterClient, context.Context, string, interface{}) *redis.IntCmd                             = (*tair.TairClusterClient).Cad
	_ func(*tair.TairClusterClient, context.Context, string, interface{}) *redis.StatusCmd                          = (*tair.TairClusterClient).ExSet
	_ func(*tair.TairClusterClient, context.Context, string, interface{}, *tair.ExSetArgs) *redis.StatusCmd         = (*tair.TairClusterClient).ExSetArgs
	_ func(*tair.TairClusterClient, context.Context, string, interface{}, tair.ExSetArgs) *redis.IntCmd             = (*tair.TairClusterClient).ExSetWithVersion
	_ func(*tair.TairClusterClient, context.Context, string, int64) *redis.IntCmd                                   = (*tair.TairClusterClient).ExSetVer
	_ func(*tair.TairClusterClient, context.Context, string) *redis.SliceCmd                                        = (*tair.TairClusterClient).ExGet
	_ func(*tair.TairClusterClient, context.Context, string) *redis.SliceCmd                                        = (*tair.TairClusterClient).ExGetWithFlags
	_ func(*tair.TairClusterClient, context.Context, string, int64) *redis.IntCmd                                   = (*tair.TairClusterClient).ExIncrBy
	_ func(*tair.TairClusterClient, context.Context, string, int64, *tair.ExIncrByArgs) *redis.IntCmd               = (*tair.TairClusterClient).ExIncrByArgs
	_ func(*tair.TairClusterClient, context.Context, string, int64, tair.ExIncrByArgs) *redis.SliceCmd              = (*tair.TairClusterClient).ExIncrByWithVersion
	_ func(*tair.TairClusterClient, context.Context, string, float64) *redis.FloatCmd                               = (*tair.TairClusterClient).ExIncrByFloat
	_ func(*tair.TairClusterClient, context.Context, string, float64, *tair.ExIncrByArgs) *redis.FloatCmd           = (*tair.TairClusterClient).ExIncrByFloatArgs
	_ func(*tair.TairClusterClient, context.Context, string, interface{}, int64) *redis.SliceCmd                    = (*tair.TairClusterClient).ExCas
	_ func(*tair.TairClusterClient, context.Context, string, int) *redis.IntCmd                                     = (*tair.TairClusterClient).ExCad
	_ func(*tair.TairClusterClient, context.Context, string, interface{}, string, string, int64) *redis.IntCmd      = (*tair.TairClusterClient).ExAppend
	_ func(*tair.TairClusterClient, context.Context, string, interface{}, string, string, int) *redis.IntCmd        = (*tair.TairClusterClient).ExPreAppend
	_ func(*tair.TairClusterClient, context.Context, string, string, time.Duration) *redis.SliceCmd                 = (*tair.TairClusterClient).ExGae
)

// TairZset commands on tair.TairClusterClient.
var (
	_ func(*tair.TairClusterClient, context.Context, string, string, ...float64) *redis.IntCmd                         = (*tair.TairClusterClient).ExZAddManyScore
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.IntCmd                             = (*tair.TairClusterClient).ExZAdd
	_ func(*tair.TairClusterClient, context.Context, string, string, string, *tair.ExZAddArgs) *redis.IntCmd           = (*tair.TairClusterClient).ExZAddArgs
	_ func(*tair.TairClusterClient, context.Context, string, ...tair.ExZAddMember) *redis.IntCmd                       = (*tair.TairClusterClient).ExZAddManyMember
	_ func(*tair.TairClusterClient, context.Context, string, *tair.ExZAddArgs, ...tair.ExZAddMember) *redis.IntCmd     = (*tair.TairClusterClient).ExZAddManyMemberArgs
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.StringCmd                          = (*tair.TairClusterClient).ExZIncrBy
	_ func(*tair.TairClusterClient, context.Context, string, string, ...float64) *redis.StringSliceCmd                 = (*tair.TairClusterClient).ExZIncrByManyScore
	_ func(*tair.TairClusterClient, context.Context, string, ...string) *redis.IntCmd                                  = (*tair.TairClusterClient).ExZRem
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.IntCmd                             = (*tair.TairClusterClient).ExZRemRangeByScore
	_ func(*tair.TairClusterClient, context.Context, string, int, int) *redis.IntCmd                                   = (*tair.TairClusterClient).ExZRemRangeByRank
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.IntCmd                             = (*tair.TairClusterClient).ExZRemRangeByLex
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.StringCmd                                  = (*tair.TairClusterClient).ExZScore
	_ func(*tair.TairClusterClient, context.Context, string, int64, int64) *redis.StringSliceCmd                       = (*tair.TairClusterClient).ExZRange
	_ func(*tair.TairClusterClient, context.Context, string, int64, int64) *redis.StringSliceCmd                       = (*tair.TairClusterClient).ExZRangeWithScores
	_ func(*tair.TairClusterClient, context.Context, string, int, int) *redis.StringSliceCmd                           = (*tair.TairClusterClient).ExZRevRange
	_ func(*tair.TairClusterClient, context.Context, string, int64, int64) *redis.StringSliceCmd                       = (*tair.TairClusterClient).ExZRevRangeWithScores
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.StringSliceCmd                     = (*tair.TairClusterClient).ExZRangeByScore
	_ func(*tair.TairClusterClient, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (*tair.TairClusterClient).ExZRangeByScoreWithArgs
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.StringSliceCmd                     = (*tair.TairClusterClient).ExZRevRangeByScore
	_ func(*tair.TairClusterClient, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (*tair.TairClusterClient).ExZRevRangeByScoreWithArgs
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.StringSliceCmd                     = (*tair.TairClusterClient).ExZRangeByLex
	_ func(*tair.TairClusterClient, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (*tair.TairClusterClient).ExZRangeByLexWithArgs
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.StringSliceCmd                     = (*tair.TairClusterClient).ExZRevRangeByLex
	_ func(*tair.TairClusterClient, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (*tair.TairClusterClient).ExZRevRangeByLexWithArgs
	_ func(*tair.TairClusterClient, context.Context, string) *redis.IntCmd                                             = (*tair.TairClusterClient).ExZCard
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.IntCmd                                     = (*tair.TairClusterClient).ExZRank
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.IntCmd                                     = (*tair.TairClusterClient).ExZRevRank
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.IntCmd                                     = (*tair.TairClusterClient).ExZRankByScore
	_ func(*tair.TairClusterClient, context.Context, string, string) *redis.IntCmd                                     = (*tair.TairClusterClient).ExZRevRankByScore
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.IntCmd                             = (*tair.TairClusterClient).ExZCount
	_ func(*tair.TairClusterClient, context.Context, string, string, string) *redis.IntCmd                             = (*tair.TairClusterClient).ExZLexCount
)

// TairHash commands on tair.TairPipeline.
var (
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.IntCmd                        = (tair.TairPipeline).ExHSet
	_ func(tair.TairPipeline, context.Context, string, string) *redis.StringCmd                             = (tair.TairPipeline).ExHGet
	_ func(tair.TairPipeline, context.Context, string, string, string, *tair.ExHSetArgs) *redis.IntCmd      = (tair.TairPipeline).ExHSetArgs
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.IntCmd                        = (tair.TairPipeline).ExHSetNx
	_ func(tair.TairPipeline, context.Context, string, map[string]string) *redis.StatusCmd                  = (tair.TairPipeline).ExHMSet
	_ func(tair.TairPipeline, context.Context, string, ...*tair.ExHMSetWithOptsArgs) *redis.StatusCmd       = (tair.TairPipeline).ExHMSetWithOpts
	_ func(tair.TairPipeline, context.Context, string, string, int) *redis.BoolCmd                          = (tair.TairPipeline).ExHPExpire
	_ func(tair.TairPipeline, context.Context, string, string, int) *redis.BoolCmd                          = (tair.TairPipeline).ExHPExpireAt
	_ func(tair.TairPipeline, context.Context, string, string, int) *redis.BoolCmd                          = (tair.TairPipeline).ExHExpire
	_ func(tair.TairPipeline, context.Context, string, string, int) *redis.BoolCmd                          = (tair.TairPipeline).ExHExpireAt
	_ func(tair.TairPipeline, context.Context, string, string) *redis.IntCmd                                = (tair.TairPipeline).ExHPTTL
	_ func(tair.TairPipeline, context.Context, string, string) *redis.IntCmd                                = (tair.TairPipeline).ExHTTL
	_ func(tair.TairPipeline, context.Context, string, string) *redis.IntCmd                                = (tair.TairPipeline).ExHVer
	_ func(tair.TairPipeline, context.Context, string, string, int) *redis.BoolCmd                          = (tair.TairPipeline).ExHSetVer
	_ func(tair.TairPipeline, context.Context, string, string, int) *redis.IntCmd                           = (tair.TairPipeline).ExHIncrBy
	_ func(tair.TairPipeline, context.Context, string, string, int, *tair.ExHIncrArgs) *redis.IntCmd        = (tair.TairPipeline).ExHIncrByArgs
	_ func(tair.TairPipeline, context.Context, string, string, float64) *redis.StringCmd                    = (tair.TairPipeline).ExHIncrByFloat
	_ func(tair.TairPipeline, context.Context, string, string, float64, *tair.ExHIncrArgs) *redis.StringCmd = (tair.TairPipeline).ExHIncrByFloatArgs
	_ func(tair.TairPipeline, context.Context, string, string) *redis.SliceCmd                              = (tair.TairPipeline).ExHGetWithVer
	_ func(tair.TairPipeline, context.Context, string, ...string) *redis.StringSliceCmd                     = (tair.TairPipeline).ExHMGet
	_ func(tair.TairPipeline, context.Context, string, ...string) *redis.SliceCmd                           = (tair.TairPipeline).ExHMGetWithVer
	_ func(tair.TairPipeline, context.Context, string, ...string) *redis.IntCmd                             = (tair.TairPipeline).ExHDel
	_ func(tair.TairPipeline, context.Context, string) *redis.IntCmd                                        = (tair.TairPipeline).ExHLen
	_ func(tair.TairPipeline, context.Context, string, string) *redis.BoolCmd                               = (tair.TairPipeline).ExHExists
	_ func(tair.TairPipeline, context.Context, string, string) *redis.IntCmd                                = (tair.TairPipeline).ExHStrLen
	_ func(tair.TairPipeline, context.Context, string) *redis.StringSliceCmd                                = (tair.TairPipeline).ExHKeys
	_ func(tair.TairPipeline, context.Context, string) *redis.StringSliceCmd                                = (tair.TairPipeline).ExHVals
	_ func(tair.TairPipeline, context.Context, string) *redis.MapStringStringCmd                            = (tair.TairPipeline).ExHGetAll
	_ func(tair.TairPipeline, context.Context, string, string) *redis.SliceCmd                              = (tair.TairPipeline).ExHScan
)

// TairString commands on tair.TairPipeline.
var (
	_ func(tair.TairPipeline, context.Context, string, interface{}, interface{}) *redis.IntCmd                = (tair.TairPipeline).Cas
	_ func(tair.TairPipeline, context.Context, string, interface{}, interface{}, *tair.CasArgs) *redis.IntCmd = (tair.TairPipeline).CasArgs
	_ func(tair.TairPipeline, context.Context, string, interface{}) *redis.IntCmd                             = (tair.TairPipeline).Cad
	_ func(tair.TairPipeline, context.Context, string, interface{}) *redis.StatusCmd                          = (tair.TairPipeline).ExSet
	_ func(tair.TairPipeline, context.Context, string, interface{}, *tair.ExSetArgs) *redis.StatusCmd         = (tair.TairPipeline).ExSetArgs
	_ func(tair.TairPipeline, context.Context, string, interface{}, tair.ExSetArgs) *redis.IntCmd             = (tair.TairPipeline).ExSetWithVersion
	_ func(tair.TairPipeline, context.Context, string, int64) *redis.IntCmd                                   = (tair.TairPipeline).ExSetVer
	_ func(tair.TairPipeline, context.Context, string) *redis.SliceCmd                                        = (tair.TairPipeline).ExGet
	_ func(tair.TairPipeline, context.Context, string) *redis.SliceCmd                                        = (tair.TairPipeline).ExGetWithFlags
	_ func(tair.TairPipeline, context.Context, string, int64) *redis.IntCmd                                   = (tair.TairPipeline).ExIncrBy
	_ func(tair.TairPipeline, context.Context, string, int64, *tair.ExIncrByArgs) *redis.IntCmd               = (tair.TairPipeline).ExIncrByArgs
	_ func(tair.TairPipeline, context.Context, string, int64, tair.ExIncrByArgs) *redis.SliceCmd              = (tair.TairPipeline).ExIncrByWithVersion
	_ func(tair.TairPipeline, context.Context, string, float64) *redis.FloatCmd                               = (tair.TairPipeline).ExIncrByFloat
	_ func(tair.TairPipeline, context.Context, string, float64, *tair.ExIncrByArgs) *redis.FloatCmd           = (tair.TairPipeline).ExIncrByFloatArgs
	_ func(tair.TairPipeline, context.Context, string, interface{}, int64) *redis.SliceCmd                    = (tair.TairPipeline).ExCas
	_ func(tair.TairPipeline, context.Context, string, int) *redis.IntCmd                                     = (tair.TairPipeline).ExCad
	_ func(tair.TairPipeline, context.Context, string, interface{}, string, string, int64) *redis.IntCmd      = (tair.TairPipeline).ExAppend
	_ func(tair.TairPipeline, context.Context, string, interface{}, string, string, int) *redis.IntCmd        = (tair.TairPipeline).ExPreAppend
	_ func(tair.TairPipeline, context.Context, string, string, time.Duration) *redis.SliceCmd                 = (tair.TairPipeline).ExGae
)

// TairZset commands on tair.TairPipeline.
var (
	_ func(tair.TairPipeline, context.Context, string, string, ...float64) *redis.IntCmd                         = (tair.TairPipeline).ExZAddManyScore
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.IntCmd                             = (tair.TairPipeline).ExZAdd
	_ func(tair.TairPipeline, context.Context, string, string, string, *tair.ExZAddArgs) *redis.IntCmd           = (tair.TairPipeline).ExZAddArgs
	_ func(tair.TairPipeline, context.Context, string, ...tair.ExZAddMember) *redis.IntCmd                       = (tair.TairPipeline).ExZAddManyMember
	_ func(tair.TairPipeline, context.Context, string, *tair.ExZAddArgs, ...tair.ExZAddMember) *redis.IntCmd     = (tair.TairPipeline).ExZAddManyMemberArgs
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.StringCmd                          = (tair.TairPipeline).ExZIncrBy
	_ func(tair.TairPipeline, context.Context, string, string, ...float64) *redis.StringSliceCmd                 = (tair.TairPipeline).ExZIncrByManyScore
	_ func(tair.TairPipeline, context.Context, string, ...string) *redis.IntCmd                                  = (tair.TairPipeline).ExZRem
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.IntCmd                             = (tair.TairPipeline).ExZRemRangeByScore
	_ func(tair.TairPipeline, context.Context, string, int, int) *redis.IntCmd                                   = (tair.TairPipeline).ExZRemRangeByRank
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.IntCmd                             = (tair.TairPipeline).ExZRemRangeByLex
	_ func(tair.TairPipeline, context.Context, string, string) *redis.StringCmd                                  = (tair.TairPipeline).ExZScore
	_ func(tair.TairPipeline, context.Context, string, int64, int64) *redis.StringSliceCmd                       = (tair.TairPipeline).ExZRange
	_ func(tair.TairPipeline, context.Context, string, int64, int64) *redis.StringSliceCmd                       = (tair.TairPipeline).ExZRangeWithScores
	_ func(tair.TairPipeline, context.Context, string, int, int) *redis.StringSliceCmd                           = (tair.TairPipeline).ExZRevRange
	_ func(tair.TairPipeline, context.Context, string, int64, int64) *redis.StringSliceCmd                       = (tair.TairPipeline).ExZRevRangeWithScores
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.StringSliceCmd                     = (tair.TairPipeline).ExZRangeByScore
	_ func(tair.TairPipeline, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (tair.TairPipeline).ExZRangeByScoreWithArgs
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.StringSliceCmd                     = (tair.TairPipeline).ExZRevRangeByScore
	_ func(tair.TairPipeline, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (tair.TairPipeline).ExZRevRangeByScoreWithArgs
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.StringSliceCmd                     = (tair.TairPipeline).ExZRangeByLex
	_ func(tair.TairPipeline, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (tair.TairPipeline).ExZRangeByLexWithArgs
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.StringSliceCmd                     = (tair.TairPipeline).ExZRevRangeByLex
	_ func(tair.TairPipeline, context.Context, string, string, string, *tair.ExZRangeArgs) *redis.StringSliceCmd = (tair.TairPipeline).ExZRevRangeByLexWithArgs
	_ func(tair.TairPipeline, context.Context, string) *redis.IntCmd                                             = (tair.TairPipeline).ExZCard
	_ func(tair.TairPipeline, context.Context, string, string) *redis.IntCmd                                     = (tair.TairPipeline).ExZRank
	_ func(tair.TairPipeline, context.Context, string, string) *redis.IntCmd                                     = (tair.TairPipeline).ExZRevRank
	_ func(tair.TairPipeline, context.Context, string, string) *redis.IntCmd                                     = (tair.TairPipeline).ExZRankByScore
	_ func(tair.TairPipeline, context.Context, string, string) *redis.IntCmd                                     = (tair.TairPipeline).ExZRevRankByScore
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.IntCmd                             = (tair.TairPipeline).ExZCount
	_ func(tair.TairPipeline, context.Context, string, string, string) *redis.IntCmd                             = (tair.TairPipeline).ExZLexCount
)

// Option builders.
var (
	_ func(tair.ExHSetArgs) *tair.ExHSetArgs                                 = (tair.ExHSetArgs).New
	_ func(*tair.ExHSetArgs) *tair.ExHSetArgs                                = (*tair.ExHSetArgs).Xx
	_ func(*tair.ExHSetArgs) *tair.ExHSetArgs                                = (*tair.ExHSetArgs).Nx
	_ func(*tair.ExHSetArgs, time.Duration) *tair.ExHSetArgs                 = (*tair.ExHSetArgs).Ex
	_ func(*tair.ExHSetArgs, time.Duration) *tair.ExHSetArgs                 = (*tair.ExHSetArgs).Px
	_ func(*tair.ExHSetArgs, time.Time) *tair.ExHSetArgs                     = (*tair.ExHSetArgs).ExAt
	_ func(*tair.ExHSetArgs, time.Time) *tair.ExHSetArgs                     = (*tair.ExHSetArgs).PxAt
	_ func(*tair.ExHSetArgs, int64) *tair.ExHSetArgs                         = (*tair.ExHSetArgs).Ver
	_ func(*tair.ExHSetArgs, int64) *tair.ExHSetArgs                         = (*tair.ExHSetArgs).Abs
	_ func(*tair.ExHSetArgs) []interface{}                                   = (*tair.ExHSetArgs).GetArgs
	_ func(tair.ExHMSetWithOptsArgs) *tair.ExHMSetWithOptsArgs               = (tair.ExHMSetWithOptsArgs).New
	_ func(*tair.ExHMSetWithOptsArgs, interface{}) *tair.ExHMSetWithOptsArgs = (*tair.ExHMSetWithOptsArgs).Field
	_ func(*tair.ExHMSetWithOptsArgs, interface{}) *tair.ExHMSetWithOptsArgs = (*tair.ExHMSetWithOptsArgs).Value
	_ func(*tair.ExHMSetWithOptsArgs, int64) *tair.ExHMSetWithOptsArgs       = (*tair.ExHMSetWithOptsArgs).SetVer
	_ func(*tair.ExHMSetWithOptsArgs, int64) *tair.ExHMSetWithOptsArgs       = (*tair.ExHMSetWithOptsArgs).SetExp
	_ func(*tair.ExHMSetWithOptsArgs) []interface{}                          = (*tair.ExHMSetWithOptsArgs).GetArgs
	_ func(tair.ExHIncrArgs) *tair.ExHIncrArgs                               = (tair.ExHIncrArgs).New
	_ func(*tair.ExHIncrArgs, time.Duration) *tair.ExHIncrArgs               = (*tair.ExHIncrArgs).Ex
	_ func(*tair.ExHIncrArgs, time.Duration) *tair.ExHIncrArgs               = (*tair.ExHIncrArgs).Px
	_ func(*tair.ExHIncrArgs, time.Time) *tair.ExHIncrArgs                   = (*tair.ExHIncrArgs).ExAt
	_ func(*tair.ExHIncrArgs, time.Time) *tair.ExHIncrArgs                   = (*tair.ExHIncrArgs).PxAt
	_ func(*tair.ExHIncrArgs, int64) *tair.ExHIncrArgs                       = (*tair.ExHIncrArgs).Ver
	_ func(*tair.ExHIncrArgs, int64) *tair.ExHIncrArgs                       = (*tair.ExHIncrArgs).Abs
	_ func(*tair.ExHIncrArgs, int64) *tair.ExHIncrArgs                       = (*tair.ExHIncrArgs).Min
	_ func(*tair.ExHIncrArgs, int64) *tair.ExHIncrArgs                       = (*tair.ExHIncrArgs).Max
	_ func(*tair.ExHIncrArgs, int64) *tair.ExHIncrArgs                       = (*tair.ExHIncrArgs).Gt
	_ func(*tair.ExHIncrArgs) *tair.ExHIncrArgs                              = (*tair.ExHIncrArgs).KeepTTL
	_ func(tair.ExHIncrArgs) []interface{}                                   = (tair.ExHIncrArgs).GetArgs
	_ func(tair.ExSetArgs) *tair.ExSetArgs                                   = (tair.ExSetArgs).New
	_ func(*tair.ExSetArgs) *tair.ExSetArgs                                  = (*tair.ExSetArgs).Xx
	_ func(*tair.ExSetArgs) *tair.ExSetArgs                                  = (*tair.ExSetArgs).Nx
	_ func(*tair.ExSetArgs, time.Duration) *tair.ExSetArgs                   = (*tair.ExSetArgs).Ex
	_ func(*tair.ExSetArgs, time.Duration) *tair.ExSetArgs                   = (*tair.ExSetArgs).Px
	_ func(*tair.ExSetArgs, time.Time) *tair.ExSetArgs                       = (*tair.ExSetArgs).ExAt
	_ func(*tair.ExSetArgs, time.Time) *tair.ExSetArgs                       = (*tair.ExSetArgs).PxAt
	_ func(*tair.ExSetArgs, int64) *tair.ExSetArgs                           = (*tair.ExSetArgs).Ver
	_ func(*tair.ExSetArgs, int64) *tair.ExSetArgs                           = (*tair.ExSetArgs).Abs
	_ func(*tair.ExSetArgs, int) *tair.ExSetArgs                             = (*tair.ExSetArgs).Flags
	_ func(*tair.ExSetArgs) *tair.ExSetArgs                                  = (*tair.ExSetArgs).KeepTTL
	_ func(*tair.ExSetArgs) []interface{}                                    = (*tair.ExSetArgs).GetArgs
	_ func(tair.CasArgs) *tair.CasArgs                                       = (tair.CasArgs).New
	_ func(*tair.CasArgs, time.Duration) *tair.CasArgs                       = (*tair.CasArgs).Ex
	_ func(*tair.CasArgs, time.Time) *tair.CasArgs                           = (*tair.CasArgs).ExAt
	_ func(*tair.CasArgs, time.Duration) *tair.CasArgs                       = (*tair.CasArgs).Px
	_ func(*tair.CasArgs, time.Time) *tair.CasArgs                           = (*tair.CasArgs).PxAt
	_ func(*tair.CasArgs) *tair.CasArgs                                      = (*tair.CasArgs).KeppTTL
	_ func(*tair.CasArgs) []interface{}                                      = (*tair.CasArgs).GetArgs
	_ func(tair.ExIncrByArgs) *tair.ExIncrByArgs                             = (tair.ExIncrByArgs).New
	_ func(*tair.ExIncrByArgs) *tair.ExIncrByArgs                            = (*tair.ExIncrByArgs).Xx
	_ func(*tair.ExIncrByArgs) *tair.ExIncrByArgs                            = (*tair.ExIncrByArgs).Nx
	_ func(*tair.ExIncrByArgs, time.Duration) *tair.ExIncrByArgs             = (*tair.ExIncrByArgs).Ex
	_ func(*tair.ExIncrByArgs, time.Duration) *tair.ExIncrByArgs             = (*tair.ExIncrByArgs).Px
	_ func(*tair.ExIncrByArgs, time.Time) *tair.ExIncrByArgs                 = (*tair.ExIncrByArgs).ExAt
	_ func(*tair.ExIncrByArgs, time.Time) *tair.ExIncrByArgs                 = (*tair.ExIncrByArgs).PxAt
	_ func(*tair.ExIncrByArgs, int64) *tair.ExIncrByArgs                     = (*tair.ExIncrByArgs).Ver
	_ func(*tair.ExIncrByArgs, int64) *tair.ExIncrByArgs                     = (*tair.ExIncrByArgs).Abs
	_ func(*tair.ExIncrByArgs, int64) *tair.ExIncrByArgs                     = (*tair.ExIncrByArgs).Min
	_ func(*tair.ExIncrByArgs, int64) *tair.ExIncrByArgs                     = (*tair.ExIncrByArgs).Max
	_ func(*tair.ExIncrByArgs, int64) *tair.ExIncrByArgs                     = (*tair.ExIncrByArgs).Def
	_ func(*tair.ExIncrByArgs) *tair.ExIncrByArgs                            = (*tair.ExIncrByArgs).SetNoNegative
	_ func(*tair.ExIncrByArgs) *tair.ExIncrByArgs                            = (*tair.ExIncrByArgs).KeepTTL
	_ func(tair.ExIncrByArgs) []interface{}                                  = (tair.ExIncrByArgs).GetArgs
	_ func(tair.ExZAddArgs) *tair.ExZAddArgs                                 = (tair.ExZAddArgs).New
	_ func(*tair.ExZAddArgs) *tair.ExZAddArgs                                = (*tair.ExZAddArgs).Xx
	_ func(*tair.ExZAddArgs) *tair.ExZAddArgs                                = (*tair.ExZAddArgs).Nx
	_ func(*tair.ExZAddArgs) *tair.ExZAddArgs                                = (*tair.ExZAddArgs).Ch
	_ func(*tair.ExZAddArgs) *tair.ExZAddArgs                                = (*tair.ExZAddArgs).Incr
	_ func(*tair.ExZAddArgs) []interface{}                                   = (*tair.ExZAddArgs).GetArgs
	_ func(tair.ExZRangeArgs) *tair.ExZRangeArgs                             = (tair.ExZRangeArgs).New
	_ func(*tair.ExZRangeArgs) *tair.ExZRangeArgs                            = (*tair.ExZRangeArgs).WithScores
	_ func(*tair.ExZRangeArgs, int64, int64) *tair.ExZRangeArgs              = (*tair.ExZRangeArgs).Limit
	_ func(*tair.ExZRangeArgs) []interface{}                                 = (*tair.ExZRangeArgs).GetArgs
)

// The rest of tair-go's exported API: constructors, pipelines, the options struct, the builders'
// Set field and the option keywords, used as a tair-go program uses them.
var _ = func() {
	var c *tair.TairClient = tair.NewTairClient(&redis.Options{})
	var pipe tair.TairPipeline = c.TairPipeline()
	var _ *redis.Pipeline = pipe.Pipeline
	var _ func(context.Context, func(redis.Pipeliner) error) ([]redis.Cmder, error) = c.TairPipelined
	var _ func(context.Context, redis.Cmder) error = c.Process
	var cc *tair.TairClusterClient = tair.NewTairClusterClient(&tair.TairClusterOptions{ClusterOptions: &redis.ClusterOptions{}})
	var _ *redis.ClusterClient = cc.ClusterClient
	var _ *redis.Client = c.Client
	_ = []map[string]bool{
		tair.ExHSetArgs{}.New().Set, tair.ExHMSetWithOptsArgs{}.New().Set, tair.ExHIncrArgs{}.New().Set,
		tair.ExSetArgs{}.New().Set, tair.CasArgs{}.New().Set, tair.ExIncrByArgs{}.New().Set,
		tair.ExZAddArgs{}.New().Set, tair.ExZRangeArgs{}.New().Set,
	}
	_ = tair.ExZAddMember{Score: "1", Member: "m"}
	_ = []string{tair.XX, tair.NX, tair.PX, tair.EX, tair.EXAT, tair.PXAT, tair.VER, tair.ABS, tair.MAX, tair.MIN,
		tair.DEF, tair.NONEGATIVE, tair.FLAGS, tair.KEEPTTL, tair.CH, tair.INCR, tair.WITHSCORES, tair.LIMIT, tair.GT}
}
