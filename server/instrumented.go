package server

import (
	"context"
	"log/slog"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/server/service"
	"github.com/errbridge/errbridge/uncatalogued"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
)

// instrumentedService is the TranslatorService the server registers: the
// shared implementation, with each translation counted by reason, each
// uncatalogued upstream code counted (and logged when first seen) by
// unknown, and, at debug level, its reason added to the call's log line.
type instrumentedService struct {
	*service.Service
	metrics *metrics
	unknown *uncatalogued.Tracker
	logger  *slog.Logger
}

// Translate implements errbridgev1.TranslatorServiceServer.
func (s *instrumentedService) Translate(ctx context.Context, req *errbridgev1.TranslateRequest) (*errbridgev1.TranslateResponse, error) {
	resp, err := s.Service.Translate(ctx, req)
	if err == nil {
		s.metrics.countTranslation(resp.GetReason(), resp.GetCode())
		s.unknown.ObserveResponse(resp, int(req.GetHttpStatus()))
		if s.logger.Enabled(ctx, slog.LevelDebug) {
			logging.AddFields(ctx, logging.Fields{reasonLogField, resp.GetReason()})
		}
	}
	return resp, err
}

// TranslateBatch implements errbridgev1.TranslatorServiceServer.
func (s *instrumentedService) TranslateBatch(ctx context.Context, req *errbridgev1.TranslateBatchRequest) (*errbridgev1.TranslateBatchResponse, error) {
	resp, err := s.Service.TranslateBatch(ctx, req)
	if err == nil {
		reqs := req.GetRequests()
		for i, r := range resp.GetResults() {
			if t := r.GetResponse(); t != nil {
				s.metrics.countTranslation(t.GetReason(), t.GetCode())
				s.unknown.ObserveResponse(t, int(reqs[i].GetHttpStatus()))
			}
		}
	}
	return resp, err
}
