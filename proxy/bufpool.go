package proxy

import "sync"

// copyBufferBytes is the size of the buffers that copy bodies. ReverseProxy
// would allocate 32 KiB per response; with a slow response in flight on
// every connection the buffers are most of the proxy's memory, and 16 KiB
// copies a large body as fast on loopback.
const copyBufferBytes = 16 << 10

// bufferPool lends ReverseProxy its copy buffers. It pools arrays, so that
// handing a buffer back costs no allocation (a pooled *[]byte would).
type bufferPool struct{ pool sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{pool: sync.Pool{New: func() any { return new([copyBufferBytes]byte) }}}
}

// Get implements httputil.BufferPool.
func (b *bufferPool) Get() []byte { return b.pool.Get().(*[copyBufferBytes]byte)[:] }

// Put implements httputil.BufferPool.
func (b *bufferPool) Put(buf []byte) {
	if cap(buf) == copyBufferBytes {
		b.pool.Put((*[copyBufferBytes]byte)(buf[:copyBufferBytes]))
	}
}
