import type { OverlayHandler } from '../lib/overlay.mjs';
export interface KafkaOverlayState { kafkaMappings?: Record<string, Map<string, Record<string, unknown>>>; [key: string]: unknown }
export function kafkaMappingsHandler(state: KafkaOverlayState): OverlayHandler;
export function putKafkaMapping(state: KafkaOverlayState, region: string, mapping: Record<string, unknown>): Record<string, unknown> & { UUID: string };
export function patchKafkaMapping(state: KafkaOverlayState, uuid: string, patch: Record<string, unknown>): Record<string, unknown> | undefined;
export function isKafkaSource(body: unknown): boolean;
