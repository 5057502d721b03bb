/**
 * The Microsoft.Web api-version every site read and write uses: @azure/arm-appservice 19.x's own default. From
 * 2025-03-01 on, the routing switches are the site's `outboundVnetRouting` object, so the planner emits that shape.
 */
export const WEB_API_VERSION = '2025-05-01';
