/**
 * Turns a lazily generated sequence of text chunks into a web `ReadableStream` of UTF-8 bytes,
 * pulling one chunk per read so memory stays constant, and stopping the generator on cancel.
 */
export function textStream(generate: () => AsyncIterator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<string> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      iterator ??= generate();
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await iterator?.return?.(undefined);
    },
  });
}
