package main

import (
	"github.com/errbridge/errbridge/catalog"
	"github.com/errbridge/errbridge/server/service"
	"github.com/errbridge/errbridge/translate"
)

// engineFlags configure the translation engine, alike for serve, translate
// and proxy.
type engineFlags struct {
	domain        string
	defaultLocale string
	quotaTimezone string
	maxBodyBytes  int
	// catalogOverlay is the catalogue overlay file, or empty for none.
	catalogOverlay string
}

func (e *engineFlags) register(f *flagSet) { e.registerEnv(f, "") }

// registerEnv defines the engine's flags with variables named
// ERRBRIDGE_<prefix><FLAG>: serve and translate use no prefix, proxy
// "PROXY_".
func (e *engineFlags) registerEnv(f *flagSet, prefix string) {
	f.fs.StringVar(&e.domain, "domain", translate.DefaultDomain, "the `name` of the ErrorInfo domain of translated errors")
	f.bind("domain", envName(prefix, "domain"))
	f.fs.StringVar(&e.defaultLocale, "default-locale", "en-US", "the BCP-47 `locale` of LocalizedMessage when a request names none (zh-CN or en-US)")
	f.bind("default-locale", envName(prefix, "default-locale"))
	f.fs.StringVar(&e.quotaTimezone, "quota-timezone", "Asia/Shanghai", "the `zone` in which daily upstream quotas reset: an IANA name, or a fixed offset such as UTC+8")
	f.bind("quota-timezone", envName(prefix, "quota-timezone"))
	f.fs.IntVar(&e.maxBodyBytes, "max-body-bytes", service.DefaultMaxBodyBytes, "the largest upstream body accepted, in `bytes`")
	f.bind("max-body-bytes", envName(prefix, "max-body-bytes"))
	f.fs.StringVar(&e.catalogOverlay, "catalog-overlay", "", "a catalogue overlay `file` (errbridge.v1.CatalogOverlay in text format or JSON) that adds codes or replaces built-in specs; serve and proxy reload it on SIGHUP")
	f.bind("catalog-overlay", envName(prefix, "catalog-overlay"))
}

// translator builds the engine the flags describe, reading the catalogue
// overlay file, if any, anew.
func (e *engineFlags) translator() (*translate.Translator, error) {
	loc, err := parseQuotaLocation(e.quotaTimezone)
	if err != nil {
		return nil, err
	}
	opts := []translate.Option{
		translate.WithDomain(e.domain),
		translate.WithDefaultLocale(e.defaultLocale),
		translate.WithQuotaLocation(loc),
	}
	if e.catalogOverlay != "" {
		cat, err := catalog.Default().WithOverlayFile(e.catalogOverlay) // Default is not changed
		if err != nil {
			return nil, err
		}
		opts = append(opts, translate.WithCatalog(cat))
	}
	return translate.New(opts...)
}
