package dev.errbridge.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * TranslatorService turns raw Tencent Meeting error responses (an HTTP status
 * and a JSON body) into canonical google.rpc.Status values. A call succeeds
 * whenever its input is a response, however odd the body: the translation is
 * in the result. It fails with INVALID_ARGUMENT only when the request itself
 * is invalid, with a google.rpc.BadRequest detail naming the field.
 * Every RPC is pure (NO_SIDE_EFFECTS): a client may retry any call, and
 * send it to any replica.
 * </pre>
 */
@javax.annotation.Generated(
    value = "by gRPC proto compiler",
    comments = "Source: errbridge/v1/translator.proto")
@io.grpc.stub.annotations.GrpcGenerated
public final class TranslatorServiceGrpc {

  private TranslatorServiceGrpc() {}

  public static final String SERVICE_NAME = "errbridge.v1.TranslatorService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.errbridge.v1.TranslateRequest,
      dev.errbridge.v1.TranslateResponse> getTranslateMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Translate",
      requestType = dev.errbridge.v1.TranslateRequest.class,
      responseType = dev.errbridge.v1.TranslateResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.errbridge.v1.TranslateRequest,
      dev.errbridge.v1.TranslateResponse> getTranslateMethod() {
    io.grpc.MethodDescriptor<dev.errbridge.v1.TranslateRequest, dev.errbridge.v1.TranslateResponse> getTranslateMethod;
    if ((getTranslateMethod = TranslatorServiceGrpc.getTranslateMethod) == null) {
      synchronized (TranslatorServiceGrpc.class) {
        if ((getTranslateMethod = TranslatorServiceGrpc.getTranslateMethod) == null) {
          TranslatorServiceGrpc.getTranslateMethod = getTranslateMethod =
              io.grpc.MethodDescriptor.<dev.errbridge.v1.TranslateRequest, dev.errbridge.v1.TranslateResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Translate"))
              .setSafe(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.errbridge.v1.TranslateRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.errbridge.v1.TranslateResponse.getDefaultInstance()))
              .setSchemaDescriptor(new TranslatorServiceMethodDescriptorSupplier("Translate"))
              .build();
        }
      }
    }
    return getTranslateMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.errbridge.v1.TranslateBatchRequest,
      dev.errbridge.v1.TranslateBatchResponse> getTranslateBatchMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "TranslateBatch",
      requestType = dev.errbridge.v1.TranslateBatchRequest.class,
      responseType = dev.errbridge.v1.TranslateBatchResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.errbridge.v1.TranslateBatchRequest,
      dev.errbridge.v1.TranslateBatchResponse> getTranslateBatchMethod() {
    io.grpc.MethodDescriptor<dev.errbridge.v1.TranslateBatchRequest, dev.errbridge.v1.TranslateBatchResponse> getTranslateBatchMethod;
    if ((getTranslateBatchMethod = TranslatorServiceGrpc.getTranslateBatchMethod) == null) {
      synchronized (TranslatorServiceGrpc.class) {
        if ((getTranslateBatchMethod = TranslatorServiceGrpc.getTranslateBatchMethod) == null) {
          TranslatorServiceGrpc.getTranslateBatchMethod = getTranslateBatchMethod =
              io.grpc.MethodDescriptor.<dev.errbridge.v1.TranslateBatchRequest, dev.errbridge.v1.TranslateBatchResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "TranslateBatch"))
              .setSafe(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.errbridge.v1.TranslateBatchRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.errbridge.v1.TranslateBatchResponse.getDefaultInstance()))
              .setSchemaDescriptor(new TranslatorServiceMethodDescriptorSupplier("TranslateBatch"))
              .build();
        }
      }
    }
    return getTranslateBatchMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.errbridge.v1.ListErrorCodesRequest,
      dev.errbridge.v1.ListErrorCodesResponse> getListErrorCodesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListErrorCodes",
      requestType = dev.errbridge.v1.ListErrorCodesRequest.class,
      responseType = dev.errbridge.v1.ListErrorCodesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.errbridge.v1.ListErrorCodesRequest,
      dev.errbridge.v1.ListErrorCodesResponse> getListErrorCodesMethod() {
    io.grpc.MethodDescriptor<dev.errbridge.v1.ListErrorCodesRequest, dev.errbridge.v1.ListErrorCodesResponse> getListErrorCodesMethod;
    if ((getListErrorCodesMethod = TranslatorServiceGrpc.getListErrorCodesMethod) == null) {
      synchronized (TranslatorServiceGrpc.class) {
        if ((getListErrorCodesMethod = TranslatorServiceGrpc.getListErrorCodesMethod) == null) {
          TranslatorServiceGrpc.getListErrorCodesMethod = getListErrorCodesMethod =
              io.grpc.MethodDescriptor.<dev.errbridge.v1.ListErrorCodesRequest, dev.errbridge.v1.ListErrorCodesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListErrorCodes"))
              .setSafe(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.errbridge.v1.ListErrorCodesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.errbridge.v1.ListErrorCodesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new TranslatorServiceMethodDescriptorSupplier("ListErrorCodes"))
              .build();
        }
      }
    }
    return getListErrorCodesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.errbridge.v1.GetErrorCodeRequest,
      dev.errbridge.v1.GetErrorCodeResponse> getGetErrorCodeMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetErrorCode",
      requestType = dev.errbridge.v1.GetErrorCodeRequest.class,
      responseType = dev.errbridge.v1.GetErrorCodeResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.errbridge.v1.GetErrorCodeRequest,
      dev.errbridge.v1.GetErrorCodeResponse> getGetErrorCodeMethod() {
    io.grpc.MethodDescriptor<dev.errbridge.v1.GetErrorCodeRequest, dev.errbridge.v1.GetErrorCodeResponse> getGetErrorCodeMethod;
    if ((getGetErrorCodeMethod = TranslatorServiceGrpc.getGetErrorCodeMethod) == null) {
      synchronized (TranslatorServiceGrpc.class) {
        if ((getGetErrorCodeMethod = TranslatorServiceGrpc.getGetErrorCodeMethod) == null) {
          TranslatorServiceGrpc.getGetErrorCodeMethod = getGetErrorCodeMethod =
              io.grpc.MethodDescriptor.<dev.errbridge.v1.GetErrorCodeRequest, dev.errbridge.v1.GetErrorCodeResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetErrorCode"))
              .setSafe(true)
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.errbridge.v1.GetErrorCodeRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.errbridge.v1.GetErrorCodeResponse.getDefaultInstance()))
              .setSchemaDescriptor(new TranslatorServiceMethodDescriptorSupplier("GetErrorCode"))
              .build();
        }
      }
    }
    return getGetErrorCodeMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static TranslatorServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<TranslatorServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<TranslatorServiceStub>() {
        @java.lang.Override
        public TranslatorServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new TranslatorServiceStub(channel, callOptions);
        }
      };
    return TranslatorServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static TranslatorServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<TranslatorServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<TranslatorServiceBlockingStub>() {
        @java.lang.Override
        public TranslatorServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new TranslatorServiceBlockingStub(channel, callOptions);
        }
      };
    return TranslatorServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static TranslatorServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<TranslatorServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<TranslatorServiceFutureStub>() {
        @java.lang.Override
        public TranslatorServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new TranslatorServiceFutureStub(channel, callOptions);
        }
      };
    return TranslatorServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * TranslatorService turns raw Tencent Meeting error responses (an HTTP status
   * and a JSON body) into canonical google.rpc.Status values. A call succeeds
   * whenever its input is a response, however odd the body: the translation is
   * in the result. It fails with INVALID_ARGUMENT only when the request itself
   * is invalid, with a google.rpc.BadRequest detail naming the field.
   * Every RPC is pure (NO_SIDE_EFFECTS): a client may retry any call, and
   * send it to any replica.
   * </pre>
   */
  public static abstract class TranslatorServiceImplBase implements io.grpc.BindableService {

    /**
     * <pre>
     * Translate translates one upstream response.
     * Over REST the whole TranslateRequest is the JSON body, with the upstream
     * body base64-encoded as proto3 JSON spells bytes.
     * </pre>
     */
    public void translate(dev.errbridge.v1.TranslateRequest request,
        io.grpc.stub.StreamObserver<dev.errbridge.v1.TranslateResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTranslateMethod(), responseObserver);
    }

    /**
     * <pre>
     * TranslateBatch translates many responses in one call. Results come back in
     * request order, and an invalid item fails alone, never the batch.
     * Over REST the body is {"requests": [...]}: a custom method on the
     * collection of translations, as AIP-136 spells it.
     * </pre>
     */
    public void translateBatch(dev.errbridge.v1.TranslateBatchRequest request,
        io.grpc.stub.StreamObserver<dev.errbridge.v1.TranslateBatchResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTranslateBatchMethod(), responseObserver);
    }

    /**
     * <pre>
     * ListErrorCodes pages through the catalogue's error codes, optionally
     * filtered. The code-0 values (the REST and OAuth successes, and the
     * never-reported FALLBACK_REASON_UNSPECIFIED) are not error codes and are
     * not listed.
     * Over REST a GET without a body: page_size, page_token, family and
     * grpc_code are query parameters (pageSize=...&amp;family=API_FAMILY_OAUTH).
     * </pre>
     */
    public void listErrorCodes(dev.errbridge.v1.ListErrorCodesRequest request,
        io.grpc.stub.StreamObserver<dev.errbridge.v1.ListErrorCodesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListErrorCodesMethod(), responseObserver);
    }

    /**
     * <pre>
     * GetErrorCode returns the catalogue entry of one code or reason. A request
     * that names neither (code 0, no reason) is INVALID_ARGUMENT: code 0 is
     * success, not an error code.
     * Over REST the reason is the last path segment, and the answer is the
     * ErrorCode itself rather than its wrapper, as a GET of a resource returns
     * the resource (AIP-131).
     * </pre>
     */
    public void getErrorCode(dev.errbridge.v1.GetErrorCodeRequest request,
        io.grpc.stub.StreamObserver<dev.errbridge.v1.GetErrorCodeResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetErrorCodeMethod(), responseObserver);
    }

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
          .addMethod(
            getTranslateMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                dev.errbridge.v1.TranslateRequest,
                dev.errbridge.v1.TranslateResponse>(
                  this, METHODID_TRANSLATE)))
          .addMethod(
            getTranslateBatchMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                dev.errbridge.v1.TranslateBatchRequest,
                dev.errbridge.v1.TranslateBatchResponse>(
                  this, METHODID_TRANSLATE_BATCH)))
          .addMethod(
            getListErrorCodesMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                dev.errbridge.v1.ListErrorCodesRequest,
                dev.errbridge.v1.ListErrorCodesResponse>(
                  this, METHODID_LIST_ERROR_CODES)))
          .addMethod(
            getGetErrorCodeMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                dev.errbridge.v1.GetErrorCodeRequest,
                dev.errbridge.v1.GetErrorCodeResponse>(
                  this, METHODID_GET_ERROR_CODE)))
          .build();
    }
  }

  /**
   * <pre>
   * TranslatorService turns raw Tencent Meeting error responses (an HTTP status
   * and a JSON body) into canonical google.rpc.Status values. A call succeeds
   * whenever its input is a response, however odd the body: the translation is
   * in the result. It fails with INVALID_ARGUMENT only when the request itself
   * is invalid, with a google.rpc.BadRequest detail naming the field.
   * Every RPC is pure (NO_SIDE_EFFECTS): a client may retry any call, and
   * send it to any replica.
   * </pre>
   */
  public static final class TranslatorServiceStub extends io.grpc.stub.AbstractAsyncStub<TranslatorServiceStub> {
    private TranslatorServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected TranslatorServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new TranslatorServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Translate translates one upstream response.
     * Over REST the whole TranslateRequest is the JSON body, with the upstream
     * body base64-encoded as proto3 JSON spells bytes.
     * </pre>
     */
    public void translate(dev.errbridge.v1.TranslateRequest request,
        io.grpc.stub.StreamObserver<dev.errbridge.v1.TranslateResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getTranslateMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * TranslateBatch translates many responses in one call. Results come back in
     * request order, and an invalid item fails alone, never the batch.
     * Over REST the body is {"requests": [...]}: a custom method on the
     * collection of translations, as AIP-136 spells it.
     * </pre>
     */
    public void translateBatch(dev.errbridge.v1.TranslateBatchRequest request,
        io.grpc.stub.StreamObserver<dev.errbridge.v1.TranslateBatchResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getTranslateBatchMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * ListErrorCodes pages through the catalogue's error codes, optionally
     * filtered. The code-0 values (the REST and OAuth successes, and the
     * never-reported FALLBACK_REASON_UNSPECIFIED) are not error codes and are
     * not listed.
     * Over REST a GET without a body: page_size, page_token, family and
     * grpc_code are query parameters (pageSize=...&amp;family=API_FAMILY_OAUTH).
     * </pre>
     */
    public void listErrorCodes(dev.errbridge.v1.ListErrorCodesRequest request,
        io.grpc.stub.StreamObserver<dev.errbridge.v1.ListErrorCodesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListErrorCodesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * GetErrorCode returns the catalogue entry of one code or reason. A request
     * that names neither (code 0, no reason) is INVALID_ARGUMENT: code 0 is
     * success, not an error code.
     * Over REST the reason is the last path segment, and the answer is the
     * ErrorCode itself rather than its wrapper, as a GET of a resource returns
     * the resource (AIP-131).
     * </pre>
     */
    public void getErrorCode(dev.errbridge.v1.GetErrorCodeRequest request,
        io.grpc.stub.StreamObserver<dev.errbridge.v1.GetErrorCodeResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetErrorCodeMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * <pre>
   * TranslatorService turns raw Tencent Meeting error responses (an HTTP status
   * and a JSON body) into canonical google.rpc.Status values. A call succeeds
   * whenever its input is a response, however odd the body: the translation is
   * in the result. It fails with INVALID_ARGUMENT only when the request itself
   * is invalid, with a google.rpc.BadRequest detail naming the field.
   * Every RPC is pure (NO_SIDE_EFFECTS): a client may retry any call, and
   * send it to any replica.
   * </pre>
   */
  public static final class TranslatorServiceBlockingStub extends io.grpc.stub.AbstractBlockingStub<TranslatorServiceBlockingStub> {
    private TranslatorServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected TranslatorServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new TranslatorServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Translate translates one upstream response.
     * Over REST the whole TranslateRequest is the JSON body, with the upstream
     * body base64-encoded as proto3 JSON spells bytes.
     * </pre>
     */
    public dev.errbridge.v1.TranslateResponse translate(dev.errbridge.v1.TranslateRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getTranslateMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * TranslateBatch translates many responses in one call. Results come back in
     * request order, and an invalid item fails alone, never the batch.
     * Over REST the body is {"requests": [...]}: a custom method on the
     * collection of translations, as AIP-136 spells it.
     * </pre>
     */
    public dev.errbridge.v1.TranslateBatchResponse translateBatch(dev.errbridge.v1.TranslateBatchRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getTranslateBatchMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * ListErrorCodes pages through the catalogue's error codes, optionally
     * filtered. The code-0 values (the REST and OAuth successes, and the
     * never-reported FALLBACK_REASON_UNSPECIFIED) are not error codes and are
     * not listed.
     * Over REST a GET without a body: page_size, page_token, family and
     * grpc_code are query parameters (pageSize=...&amp;family=API_FAMILY_OAUTH).
     * </pre>
     */
    public dev.errbridge.v1.ListErrorCodesResponse listErrorCodes(dev.errbridge.v1.ListErrorCodesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListErrorCodesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * GetErrorCode returns the catalogue entry of one code or reason. A request
     * that names neither (code 0, no reason) is INVALID_ARGUMENT: code 0 is
     * success, not an error code.
     * Over REST the reason is the last path segment, and the answer is the
     * ErrorCode itself rather than its wrapper, as a GET of a resource returns
     * the resource (AIP-131).
     * </pre>
     */
    public dev.errbridge.v1.GetErrorCodeResponse getErrorCode(dev.errbridge.v1.GetErrorCodeRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetErrorCodeMethod(), getCallOptions(), request);
    }
  }

  /**
   * <pre>
   * TranslatorService turns raw Tencent Meeting error responses (an HTTP status
   * and a JSON body) into canonical google.rpc.Status values. A call succeeds
   * whenever its input is a response, however odd the body: the translation is
   * in the result. It fails with INVALID_ARGUMENT only when the request itself
   * is invalid, with a google.rpc.BadRequest detail naming the field.
   * Every RPC is pure (NO_SIDE_EFFECTS): a client may retry any call, and
   * send it to any replica.
   * </pre>
   */
  public static final class TranslatorServiceFutureStub extends io.grpc.stub.AbstractFutureStub<TranslatorServiceFutureStub> {
    private TranslatorServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected TranslatorServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new TranslatorServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Translate translates one upstream response.
     * Over REST the whole TranslateRequest is the JSON body, with the upstream
     * body base64-encoded as proto3 JSON spells bytes.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.errbridge.v1.TranslateResponse> translate(
        dev.errbridge.v1.TranslateRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getTranslateMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * TranslateBatch translates many responses in one call. Results come back in
     * request order, and an invalid item fails alone, never the batch.
     * Over REST the body is {"requests": [...]}: a custom method on the
     * collection of translations, as AIP-136 spells it.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.errbridge.v1.TranslateBatchResponse> translateBatch(
        dev.errbridge.v1.TranslateBatchRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getTranslateBatchMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * ListErrorCodes pages through the catalogue's error codes, optionally
     * filtered. The code-0 values (the REST and OAuth successes, and the
     * never-reported FALLBACK_REASON_UNSPECIFIED) are not error codes and are
     * not listed.
     * Over REST a GET without a body: page_size, page_token, family and
     * grpc_code are query parameters (pageSize=...&amp;family=API_FAMILY_OAUTH).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.errbridge.v1.ListErrorCodesResponse> listErrorCodes(
        dev.errbridge.v1.ListErrorCodesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListErrorCodesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * GetErrorCode returns the catalogue entry of one code or reason. A request
     * that names neither (code 0, no reason) is INVALID_ARGUMENT: code 0 is
     * success, not an error code.
     * Over REST the reason is the last path segment, and the answer is the
     * ErrorCode itself rather than its wrapper, as a GET of a resource returns
     * the resource (AIP-131).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.errbridge.v1.GetErrorCodeResponse> getErrorCode(
        dev.errbridge.v1.GetErrorCodeRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetErrorCodeMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_TRANSLATE = 0;
  private static final int METHODID_TRANSLATE_BATCH = 1;
  private static final int METHODID_LIST_ERROR_CODES = 2;
  private static final int METHODID_GET_ERROR_CODE = 3;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final TranslatorServiceImplBase serviceImpl;
    private final int methodId;

    MethodHandlers(TranslatorServiceImplBase serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_TRANSLATE:
          serviceImpl.translate((dev.errbridge.v1.TranslateRequest) request,
              (io.grpc.stub.StreamObserver<dev.errbridge.v1.TranslateResponse>) responseObserver);
          break;
        case METHODID_TRANSLATE_BATCH:
          serviceImpl.translateBatch((dev.errbridge.v1.TranslateBatchRequest) request,
              (io.grpc.stub.StreamObserver<dev.errbridge.v1.TranslateBatchResponse>) responseObserver);
          break;
        case METHODID_LIST_ERROR_CODES:
          serviceImpl.listErrorCodes((dev.errbridge.v1.ListErrorCodesRequest) request,
              (io.grpc.stub.StreamObserver<dev.errbridge.v1.ListErrorCodesResponse>) responseObserver);
          break;
        case METHODID_GET_ERROR_CODE:
          serviceImpl.getErrorCode((dev.errbridge.v1.GetErrorCodeRequest) request,
              (io.grpc.stub.StreamObserver<dev.errbridge.v1.GetErrorCodeResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  private static abstract class TranslatorServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    TranslatorServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.errbridge.v1.TranslatorProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("TranslatorService");
    }
  }

  private static final class TranslatorServiceFileDescriptorSupplier
      extends TranslatorServiceBaseDescriptorSupplier {
    TranslatorServiceFileDescriptorSupplier() {}
  }

  private static final class TranslatorServiceMethodDescriptorSupplier
      extends TranslatorServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final String methodName;

    TranslatorServiceMethodDescriptorSupplier(String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (TranslatorServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new TranslatorServiceFileDescriptorSupplier())
              .addMethod(getTranslateMethod())
              .addMethod(getTranslateBatchMethod())
              .addMethod(getListErrorCodesMethod())
              .addMethod(getGetErrorCodeMethod())
              .build();
        }
      }
    }
    return result;
  }
}
