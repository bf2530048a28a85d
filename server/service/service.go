package service

import (
	"errors"
	"sync/atomic"

	errbridgev1 "github.com/errbridge/errbridge/gen/go/errbridge/v1"
	"github.com/errbridge/errbridge/translate"
)

// Service implements errbridgev1.TranslatorServiceServer over one
// [translate.Translator] at a time. It is safe for concurrent use; only
// [Service.SetTranslator] changes it.
type Service struct {
	errbridgev1.UnimplementedTranslatorServiceServer

	engine atomic.Pointer[engine]
	limits Limits
}

// engine is a translator and its catalogue as ErrorCode messages. Every call
// loads it once, so that a call runs on one catalogue from start to end,
// whatever SetTranslator does meanwhile.
type engine struct {
	t     *translate.Translator
	codes errorCodes
}

// New returns a service that translates with t (the default translator when
// nil), configured by opts.
func New(t *translate.Translator, opts ...Option) (*Service, error) {
	if t == nil {
		t = translate.Default()
	}
	s := &Service{limits: DefaultLimits()}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("service: nil option")
		}
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	s.SetTranslator(t)
	return s, nil
}

// SetTranslator makes t (with its catalogue) the engine of every call that
// starts from now on; calls in flight finish with the engine they started
// with. It is how a catalogue overlay is reloaded. A nil t changes nothing.
func (s *Service) SetTranslator(t *translate.Translator) {
	if t != nil {
		s.engine.Store(&engine{t: t, codes: newErrorCodes(t.Catalog())})
	}
}

// Translator returns the engine the service translates with now.
func (s *Service) Translator() *translate.Translator { return s.engine.Load().t }

// Limits returns the service's configured limits.
func (s *Service) Limits() Limits { return s.limits }
