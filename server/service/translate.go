package service

import (
	"context"
	"strconv"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/translate"
	"google.golang.org/grpc/status"
)

// Translate validates req and translates it. An invalid request fails with
// INVALID_ARGUMENT and a BadRequest detail; any valid one succeeds, whatever
// its body holds.
func (s *Service) Translate(_ context.Context, req *errbridgev1.TranslateRequest) (*errbridgev1.TranslateResponse, error) {
	var trace translate.TraceFinder
	if v := checkTranslateRequest(req, s.limits, -1, nil, &trace); v != nil {
		return nil, v.status("TranslateRequest").Err()
	}
	b := new(responseBox)
	fillResponse(b, translateWith(s.engine.Load().t, nil, req, &trace))
	return &b.resp, nil
}

// translateWith runs the engine t on a valid request, whose headers trace
// has seen during validation.
func translateWith(t *translate.Translator, a *translate.Arena, req *errbridgev1.TranslateRequest, trace *translate.TraceFinder) *translate.Result {
	opts := translate.Options{
		Headers:    req.GetHeaders(),
		Locale:     req.GetLocale(),
		Method:     req.GetMethod(),
		Idempotent: req.GetIdempotent(),
		Family:     req.GetFamily(),
	}
	opts.UseTrace(trace)
	return t.TranslateIn(a, int(req.GetHttpStatus()), req.GetBody(), &opts)
}

// batchItem holds one batch result and the messages it points to, so that a
// batch's results cost one allocation between them.
type batchItem struct {
	result errbridgev1.TranslateBatchResult
	ok     errbridgev1.TranslateBatchResult_Response
	failed errbridgev1.TranslateBatchResult_Error
	box    responseBox
}

// ctxCheckEvery is how many batch items are translated between checks of
// the call's context.
const ctxCheckEvery = 64

// TranslateBatch translates every request of a batch, in order. An invalid
// item gets an INVALID_ARGUMENT status naming requests[i] and never fails
// the batch; the batch fails only when it is empty or larger than the limit.
func (s *Service) TranslateBatch(ctx context.Context, req *errbridgev1.TranslateBatchRequest) (*errbridgev1.TranslateBatchResponse, error) {
	reqs := req.GetRequests()
	switch {
	case len(reqs) == 0:
		return nil, violations(nil).add(-1, "requests", ViolationBatchEmpty,
			"must hold at least one request").status("TranslateBatchRequest").Err()
	case len(reqs) > s.limits.MaxBatch:
		return nil, violations(nil).add(-1, "requests", ViolationBatchTooLarge,
			"holds "+strconv.Itoa(len(reqs))+" requests; at most "+strconv.Itoa(s.limits.MaxBatch)+" are accepted").
			status("TranslateBatchRequest").Err()
	}
	t := s.engine.Load().t // one catalogue for the whole batch
	arena := translate.NewArena(len(reqs))
	items := make([]batchItem, len(reqs))
	results := make([]*errbridgev1.TranslateBatchResult, len(reqs))
	for i, r := range reqs {
		if i%ctxCheckEvery == ctxCheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, status.FromContextError(err).Err()
			}
		}
		it := &items[i]
		var trace translate.TraceFinder
		if v := checkTranslateRequest(r, s.limits, i, nil, &trace); v != nil {
			it.failed.Error = v.status("TranslateRequest").Proto()
			it.result.Result = &it.failed
		} else {
			fillResponse(&it.box, translateWith(t, arena, r, &trace))
			it.ok.Response = &it.box.resp
			it.result.Result = &it.ok
		}
		results[i] = &it.result
	}
	return &errbridgev1.TranslateBatchResponse{Results: results}, nil
}
