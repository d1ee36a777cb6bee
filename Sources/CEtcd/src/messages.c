/* Packing and unpacking protobuf-c messages to and from gRPC byte buffers. */
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>

#include "internal.h"

grpc_byte_buffer *cetcd_pack(const ProtobufCMessage *message,
                             const ProtobufCMessageDescriptor *expected) {
    if (message == NULL || message->descriptor != expected) return NULL;
    size_t size = protobuf_c_message_get_packed_size(message);
    grpc_slice slice = grpc_slice_malloc(size);
    protobuf_c_message_pack(message, GRPC_SLICE_START_PTR(slice));
    grpc_byte_buffer *buffer = grpc_raw_byte_buffer_create(&slice, 1);
    grpc_slice_unref(slice);
    return buffer;
}

ProtobufCMessage *cetcd_unpack(grpc_byte_buffer *buffer,
                               const ProtobufCMessageDescriptor *descriptor) {
    grpc_byte_buffer_reader reader;
    if (!grpc_byte_buffer_reader_init(&reader, buffer)) return NULL;
    /* One contiguous copy: protobuf-c needs the whole message in one piece. */
    grpc_slice slice = grpc_byte_buffer_reader_readall(&reader);
    grpc_byte_buffer_reader_destroy(&reader);
    ProtobufCMessage *message = protobuf_c_message_unpack(
        descriptor, NULL, GRPC_SLICE_LENGTH(slice), GRPC_SLICE_START_PTR(slice));
    grpc_slice_unref(slice);
    return message;
}

void cetcd_message_free(ProtobufCMessage *message) {
    if (message) protobuf_c_message_free_unpacked(message, NULL);
}
