package exhash

import (
	"context"
	"iter"
	"strconv"
)

// ExHScan returns one page of the hash's fields starting at cursor (0 to begin). Continue with the
// returned cursor until it is 0. Fields may be returned more than once during a scan.
func (cs Commands) ExHScan(ctx context.Context, key string, cursor uint64) *ScanCmd {
	return cs.ExHScanArgs(ctx, key, cursor, nil)
}

// ExHScanArgs is ExHScan with MATCH and COUNT.
func (cs Commands) ExHScanArgs(ctx context.Context, key string, cursor uint64, a *ExHScanArgs) *ScanCmd {
	args, err := a.appendTo([]any{"exhscan", key, strconv.FormatUint(cursor, 10)})
	if err != nil {
		return refused[ScanPage](cs, args, err)
	}
	return send(ctx, cs, decodeScan, args...)
}

// ExHScanAll walks the whole hash with EXHSCAN, one round trip per page, yielding each field and
// value. A field may be yielded more than once (fields present for the whole walk are yielded at
// least once). On error it yields a zero FieldValue with the error and stops. a may be nil.
func (c *Client) ExHScanAll(ctx context.Context, key string, a *ExHScanArgs) iter.Seq2[FieldValue, error] {
	return func(yield func(FieldValue, error) bool) {
		var cursor uint64
		for {
			page, err := c.ExHScanArgs(ctx, key, cursor, a).Result()
			if err != nil {
				yield(FieldValue{}, err)
				return
			}
			for _, fv := range page.Fields {
				if !yield(fv, nil) {
					return
				}
			}
			if page.Cursor == 0 {
				return
			}
			cursor = page.Cursor
		}
	}
}
