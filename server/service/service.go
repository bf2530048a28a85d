package service

import (
	"errors"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/translate"
)

// Service implements errbridgev1.TranslatorServiceServer over one
// [translate.Translator]. It is immutable and safe for concurrent use.
type Service struct {
	errbridgev1.UnimplementedTranslatorServiceServer

	t      *translate.Translator
	limits Limits
	codes  errorCodes
}

// New returns a service that translates with t (the default translator when
// nil), configured by opts.
func New(t *translate.Translator, opts ...Option) (*Service, error) {
	if t == nil {
		t = translate.Default()
	}
	s := &Service{t: t, limits: DefaultLimits()}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("service: nil option")
		}
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	s.codes = newErrorCodes(t.Catalog())
	return s, nil
}

// Translator returns the engine the service translates with.
func (s *Service) Translator() *translate.Translator { return s.t }

// Limits returns the service's configured limits.
func (s *Service) Limits() Limits { return s.limits }
